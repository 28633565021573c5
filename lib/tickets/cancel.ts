// Bugzilla::Token's Cancel($token, $reason) with today's rules: the ticket is
// revoked (its history kept, not deleted) and the person who asked for it is
// told why — when an administrator cancels it, or when it is presented for an
// action other than its own. No Next.js here, so it runs in tests.
import { ticketCancelledEmail } from "@/emails/ticket-cancelled";
import type { QueuedMail } from "@/lib/mail/outbox";
import type { Actor, TicketService, TicketView } from "@/lib/tickets";

export interface CancelDeps {
  tickets: TicketService;
  sendMail(mail: QueuedMail): Promise<unknown>;
}

/** Longest reason kept; it is shown to the requester and stored with the ticket. */
export const MAX_REASON_LENGTH = 500;

export type CancelOutcome = { ok: true; ticket: TicketView; mailed: boolean } | { ok: false; code: "NOT_FOUND" | "NOT_OPEN" | "NO_REASON" };

export async function cancelTicket(deps: CancelDeps, ticketId: string, reason: string, by: "admin" | "misuse", actor: Actor): Promise<CancelOutcome> {
  const text = reason.replace(/\r\n?/g, "\n").trim().slice(0, MAX_REASON_LENGTH);
  if (!text) return { ok: false, code: "NO_REASON" };
  const revoked = await deps.tickets.revoke(ticketId, text, actor);
  if (!revoked.ok) return { ok: false, code: revoked.error.code === "NOT_FOUND" ? "NOT_FOUND" : "NOT_OPEN" };
  const ticket = revoked.value;
  // API tickets have no address: nobody to tell.
  if (!ticket.email) return { ok: true, ticket, mailed: false };
  const mail = ticketCancelledEmail({ type: ticket.type, by, reason: text, issuedAt: ticket.createdAt, requestedFromIp: ticket.requestedFromIp, cancelledFromIp: actor.ip ?? null });
  await deps.sendMail({ to: ticket.email, template: "ticket-cancelled", ...mail });
  return { ok: true, ticket, mailed: true };
}
