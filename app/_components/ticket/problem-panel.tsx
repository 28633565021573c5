"use client";

import Link from "next/link";
import { useActionState } from "react";

import { type TicketProblem, problemText } from "@/lib/tickets/outcomes";

import { WithAddress } from "@/app/_components/address";
import { WaitNote, useCountdown } from "@/app/_components/countdown";

import { type TicketActionState, freshLinkAction } from "./actions";

/**
 * Why a link cannot be used, and the way on. `askAddress`: this browser did
 * not ask for the link, so a new one is mailed only after the person types
 * the address (decision 15) — a scanner pressing the button gets nothing.
 * `waitSeconds`: how long until a new link may be asked for (the browser that
 * asked is told before it presses; another learns it from the answer). The
 * button stays, held by a countdown while the wait runs, and says "new": the
 * link this page is about does not work, and it may have been the only one.
 */
export function ProblemPanel({ problem, ticket, askAddress = false, waitSeconds = 0 }: { problem: TicketProblem; ticket: string; askAddress?: boolean; waitSeconds?: number }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(freshLinkAction, { status: "idle" });
  const answer = state.status === "message" ? state : null;
  const { left, live } = useCountdown(answer?.waitSeconds ?? waitSeconds, answer);
  const text = problemText(problem);
  const offer = problem.canRefresh && !answer?.final;
  return (
    <div className="card" data-ticket-problem={problem.kind}>
      <h1>{text.title}</h1>
      <p className="lead">
        <WithAddress text={text.body} email={problem.address} />
      </p>
      {answer ? (
        <p role="status" className={answer.tone === "ok" ? "notice ok" : "notice error"}>
          {answer.message}
        </p>
      ) : null}
      {offer ? (
        <form action={formAction} className="stack" data-fresh-link>
          <input type="hidden" name="ticket" value={ticket} />
          {askAddress ? (
            <>
              <label htmlFor="fresh-email">Your e-mail address</label>
              <input id="fresh-email" name="email" type="email" autoComplete="email" inputMode="email" required />
            </>
          ) : null}
          <WaitNote left={left} live={live} ready={askAddress ? "Type the address this link was sent to, and a new link comes for this device." : "You can ask for a new link now."} />
          <button type="submit" className="button" disabled={pending || (live && left > 0)}>
            {pending ? "Sending…" : askAddress ? "Send a new link to this device" : "Send me a new link"}
          </button>
        </form>
      ) : (
        <Link className="button" href={text.again.href}>
          {text.again.label}
        </Link>
      )}
    </div>
  );
}
