import type { Metadata } from "next";

import { describeAction } from "@/lib/action-paths";
import { env } from "@/lib/env";
import { formatWhen } from "@/lib/format";
import { maskEmail } from "@/lib/forms/email";
import { requestActor } from "@/lib/http/request.server";
import { runtime } from "@/lib/runtime";
import { type Relation, relationTo } from "@/lib/sign-in/binding";
import { browserSecret } from "@/lib/sign-in/browser.server";
import { askedBy, replacedForThisBrowser, secondsUntilLinkHereAllowed } from "@/lib/sign-in/elsewhere.server";
import { guessingAllowed, noteUnknownTicket } from "@/lib/sign-in/guessing.server";
import { bindingDeps, secondsUntilLinkAllowed } from "@/lib/sign-in/sign-in.server";
import type { TicketView } from "@/lib/tickets";
import { purposeOf } from "@/lib/tickets/kinds";

import { ConfirmForm } from "@/app/_components/ticket/confirm-form";
import { ElsewherePanel } from "@/app/_components/ticket/elsewhere-panel";
import { EmailChangeForm } from "@/app/_components/ticket/email-change-form";
import { PasswordForm } from "@/app/_components/ticket/password-form";
import { problemOf, throttled } from "@/app/_components/ticket/problem";
import { ProblemPanel } from "@/app/_components/ticket/problem-panel";

export const metadata: Metadata = { title: "Your link", robots: { index: false, follow: false }, referrer: "same-origin" };
// Every view is looked up afresh and never cached (the headers say so too: next.config.ts).
export const dynamic = "force-dynamic";

/** Kinds another device can get a fresh link of its own for (decision 15). */
const LINK_HERE: readonly TicketView["type"][] = ["login", "password_reset", "new_account"];

/**
 * GET and HEAD only look: mail scanners fetch links before people click, so
 * nothing is spent and no session is opened here. The browser that asked for
 * the link gets its form (one press); any other gets number matching or a
 * link of its own (decision 15). The forms' POSTs (server actions) do the work.
 */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requestActor();
  // Guessing is throttled per client address: past the limit nothing is looked up, known links included.
  const guard = await guessingAllowed(actor);
  if (!guard.allowed) return <ProblemPanel problem={throttled(guard.retryAfterSeconds)} ticket={id} />;

  const browser = await browserSecret();
  const seen: { relation: Relation; approvalAttemptsLeft: number } = { relation: "unbound", approvalAttemptsLeft: 0 };
  const { status, ticket } = await runtime().tickets.peek(id, {
    actor,
    domain: env().TICKET_DOMAIN,
    // A look from a browser that did not ask is recorded as such: scanners show up in the history.
    async elsewhere(found) {
      const bound = await relationTo(bindingDeps(), found.id, browser);
      seen.relation = bound.relation;
      seen.approvalAttemptsLeft = bound.binding?.approvalAttemptsLeft ?? 0;
      return bound.relation !== "asker" && found.type !== "email_change_old";
    },
  });
  if (status === "unknown") await noteUnknownTicket(actor);
  const { relation, approvalAttemptsLeft } = seen;
  if (status !== "open" || !ticket?.email) {
    // A link replaced by one this browser asked for here ("Send a link to this device", the full
    // address typed): that one is on its way; the address in full, and the wait before another.
    const replacement = relation !== "asker" && ticket?.email && LINK_HERE.includes(ticket.type) ? await replacedForThisBrowser(ticket) : null;
    if (ticket?.email && replacement) {
      const problem = { ...problemOf("superseded", ticket, "asker"), kind: "sent-here" as const, canRefresh: true };
      return <ProblemPanel problem={problem} ticket={id} askAddress waitSeconds={await secondsUntilLinkHereAllowed(ticket.type, ticket.email, actor)} />;
    }
    // The browser that asked sees its address in full, and how long until it may ask for a new link.
    const asker = relation === "asker";
    const problem = problemOf(status, ticket, asker ? "asker" : "anyone");
    const waitSeconds = asker && problem.canRefresh && ticket?.email ? await secondsUntilLinkAllowed(ticket.email, actor) : 0;
    return <ProblemPanel problem={problem} ticket={id} askAddress={!asker} waitSeconds={waitSeconds} />;
  }

  const change = ticket.payload as { newEmail?: unknown } | null;
  const newEmail = typeof change?.newEmail === "string" ? change.newEmail : "";
  // The undo link is bound to no browser: its mail's code, typed, gates it anywhere — and the
  // old mailbox may not own the new address, so it is masked.
  if (ticket.type === "email_change_old") return <EmailChangeForm ticket={id} kind="cancel" newAddress={maskEmail(newEmail)} />;
  if (relation !== "asker") {
    const by = askedBy(ticket);
    return (
      <ElsewherePanel
        ticket={id}
        purpose={purposeOf(ticket.type)}
        isSignIn={ticket.type === "login"}
        maskedEmail={maskEmail(ticket.email)}
        askedBy={{ browser: by.browser, ip: by.ip, when: formatWhen(by.at) }}
        canApprove={relation === "elsewhere" && approvalAttemptsLeft > 0}
        canLinkHere={LINK_HERE.includes(ticket.type)}
      />
    );
  }
  // The browser that asked typed the address (the new one, for an e-mail change): it sees it in full.
  switch (ticket.type) {
    case "login":
      return <ConfirmForm ticket={id} address={ticket.email} destination={describeAction(ticket.data)} />;
    case "password_reset":
      return <PasswordForm ticket={id} address={ticket.email} kind="reset" />;
    case "new_account":
      return <PasswordForm ticket={id} address={ticket.email} kind="signup" />;
    case "email_change_new":
      return <EmailChangeForm ticket={id} kind="confirm" newAddress={newEmail} />;
    default:
      return <ProblemPanel problem={problemOf("unknown", null)} ticket={id} />;
  }
}
