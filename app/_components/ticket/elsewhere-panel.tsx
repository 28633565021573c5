"use client";

// A link opened in a browser that did not ask for it (decision 15). Mail
// scanners open links in real browsers and press every button, so nothing
// here works by a press alone: the number the asking browser shows, or the
// full address (which this page does not show), is needed first.
import { useActionState } from "react";

import { Address } from "@/app/_components/address";
import { WaitNote, useCountdown } from "@/app/_components/countdown";
import { FormNotice } from "@/app/_components/form-parts";

import { type TicketActionState, approveAction, linkHereAction } from "./actions";
import { ProblemPanel } from "./problem-panel";

export interface ElsewhereProps {
  ticket: string;
  /** What the link does, for the words: "sign-in", "password reset", … */
  purpose: string;
  isSignIn: boolean;
  /** The link's address, masked: whoever reads this page may not own it. */
  maskedEmail: string;
  /** Who asked, as far as the server saw: browser and system, address, when. */
  askedBy: { browser: string; ip: string | null; when: string } | null;
  /** The asking browser can be approved (it is bound and tries are left). */
  canApprove: boolean;
  /** A fresh link for this device can be mailed (not for every kind). */
  canLinkHere: boolean;
}

export function ElsewherePanel(props: ElsewhereProps) {
  const { ticket, purpose, isSignIn, maskedEmail, askedBy, canApprove, canLinkHere } = props;
  const [approval, approve, approving] = useActionState<TicketActionState, FormData>(approveAction, { status: "idle" });
  const [linkHere, sendLink, sending] = useActionState<TicketActionState, FormData>(linkHereAction, { status: "idle" });
  // The wait before another link, once an answer says it (the address was typed in full): never before,
  // or this page would tell whoever opened the link that someone asked for that address lately.
  const waitSeconds = linkHere.status === "message" ? linkHere.waitSeconds : undefined;
  const { left, live } = useCountdown(waitSeconds ?? 0, linkHere);
  if (approval.status === "problem") return <ProblemPanel problem={approval.problem} ticket={ticket} />;
  if (approval.status === "approved") {
    return (
      <div className="card" data-elsewhere="approved">
        <h1>Approved</h1>
        <p className="lead">Go back to the other device: it continues by itself in a moment (or press Continue there). Nothing happened in this browser.</p>
      </div>
    );
  }
  return (
    <div className="card" data-elsewhere>
      <h1>This link was asked for on another device</h1>
      <p className="lead">
        The {purpose} for <strong>
          <Address email={maskedEmail} />
        </strong> was asked for in a different browser. Nothing happens here by pressing a button alone, so a mail scanner that opens links cannot use it.
      </p>
      {askedBy ? (
        <dl className="asked-by">
          <dt>Asked from</dt>
          <dd data-asked-browser>{askedBy.browser}</dd>
          {askedBy.ip ? (
            <>
              <dt>Network address</dt>
              <dd>{askedBy.ip}</dd>
            </>
          ) : null}
          <dt>When</dt>
          <dd>{askedBy.when}</dd>
        </dl>
      ) : null}
      {canApprove ? (
        <form action={approve} className="stack">
          <input type="hidden" name="ticket" value={ticket} />
          <label htmlFor="number">The number shown on that device</label>
          <input id="number" name="number" type="text" inputMode="numeric" autoComplete="off" pattern="[0-9]{4}" maxLength={4} required className="number-input" />
          <p className="muted small">Only approve a device you have in front of you. If you did not ask for this, close this page: nothing happens.</p>
          <FormNotice message={approval.status === "message" ? approval.message : null} />
          <div className="button-row">
            <button type="submit" name="intent" value="approve" className="button" disabled={approving}>
              {isSignIn ? "Approve the sign-in on that device" : "Approve on that device"}
            </button>
            <button type="submit" name="intent" value="here" className="button secondary" disabled={approving}>
              {isSignIn ? "Sign in on this device instead" : "Continue on this device instead"}
            </button>
          </div>
        </form>
      ) : approval.status === "message" ? (
        // The last wrong number locked approving: the page comes back without the number form, and must still say why.
        <FormNotice message={approval.message} />
      ) : null}
      {canLinkHere ? (
        <form action={sendLink} className="stack approval">
          <h2>The other device is not at hand?</h2>
          <p className="muted">We can mail a new link that works in this browser. Type the address it goes to:</p>
          <input type="hidden" name="ticket" value={ticket} />
          <label htmlFor="link-here-email">Your e-mail address</label>
          <input id="link-here-email" name="email" type="email" autoComplete="email" inputMode="email" required />
          <FormNotice message={linkHere.status === "message" ? linkHere.message : null} tone={linkHere.status === "message" ? linkHere.tone : "error"} />
          {waitSeconds !== undefined ? <WaitNote left={left} live={live} ready="You can ask for another link for this device now." /> : null}
          <button type="submit" className="button secondary" disabled={sending || (live && left > 0)}>
            {sending ? "Sending…" : "Send a link to this device"}
          </button>
        </form>
      ) : null}
    </div>
  );
}
