import type { Metadata } from "next";

import { env } from "@/lib/env";
import { requestActor } from "@/lib/http/request.server";
import { guessingAllowed, noteUnknownTicket } from "@/lib/sign-in/guessing.server";
import { maskEmail } from "@/lib/forms/email";
import { runtime } from "@/lib/runtime";

import { ConfirmForm } from "./confirm-form";
import { EmailChangeForm } from "./email-change-form";
import { PasswordForm } from "./password-form";
import { problemOf, throttled } from "./problem";
import { ProblemPanel } from "./problem-panel";

export const metadata: Metadata = { title: "Your link", robots: { index: false, follow: false }, referrer: "same-origin" };
// Every view is looked up afresh and never cached (the headers say so too: next.config.ts).
export const dynamic = "force-dynamic";

/**
 * GET and HEAD only look: mail scanners fetch links before people click, so
 * nothing is spent and no session is opened here. Each ticket type gets its
 * own form; the form's POST (a same-origin server action) does the work.
 */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requestActor();
  // Guessing is throttled per client address: past the limit nothing is looked up, known links included.
  const guard = await guessingAllowed(actor);
  if (!guard.allowed) return <ProblemPanel problem={throttled(guard.retryAfterSeconds)} ticket={id} />;
  const { status, ticket } = await runtime().tickets.peek(id, { actor, domain: env().TICKET_DOMAIN });
  if (status === "unknown") await noteUnknownTicket(actor);
  if (status === "open" && ticket?.email) {
    const masked = maskEmail(ticket.email);
    const change = ticket.payload as { newEmail?: unknown } | null;
    const maskedNew = typeof change?.newEmail === "string" ? maskEmail(change.newEmail) : "";
    switch (ticket.type) {
      case "login":
        return <ConfirmForm ticket={id} maskedEmail={masked} target={ticket.data} />;
      case "password_reset":
        return <PasswordForm ticket={id} maskedEmail={masked} kind="reset" />;
      case "new_account":
        return <PasswordForm ticket={id} maskedEmail={masked} kind="signup" />;
      case "email_change_new":
        return <EmailChangeForm ticket={id} kind="confirm" maskedNewEmail={maskedNew} />;
      case "email_change_old":
        return <EmailChangeForm ticket={id} kind="cancel" maskedNewEmail={maskedNew} />;
      default:
        break;
    }
  }
  return <ProblemPanel problem={problemOf(status, ticket)} ticket={id} />;
}
