// Bugzilla::Token::Cancel for tickets presented to the wrong form: a
// password-reset link posted to the sign-in button, a sign-in link posted to
// the new-password form, … The ticket is revoked and whoever asked for it is
// told by mail (lib/tickets/cancel.ts), because someone holding the link
// tried to use it for something it was not made for.
import { TICKET_PURPOSES } from "@/emails/ticket-cancelled";
import { cancelTicket } from "@/lib/tickets/cancel";
import type { Actor, RedeemResult, TicketType } from "@/lib/tickets";

import type { AccountDeps } from "@/lib/account/deps";

/** Whether a refused redeem was refused because the ticket is of another type. */
export function isMisuse(result: RedeemResult, expected: readonly TicketType[]): boolean {
  return result.result === "error" && result.ticket !== null && !expected.includes(result.ticket.type);
}

/**
 * Cancels the ticket of a misused redeem. Returns true when the ticket was
 * open and is now revoked (its requester mailed); false when it had already
 * ended (nothing left to cancel).
 */
export async function cancelMisused(deps: Pick<AccountDeps, "tickets" | "sendMail">, result: RedeemResult, expected: readonly TicketType[], actor: Actor): Promise<boolean> {
  if (!isMisuse(result, expected) || !result.ticket) return false;
  const reason = `This ${TICKET_PURPOSES[result.ticket.type]} was presented for something else (${expected.map((t) => TICKET_PURPOSES[t]).join(", ")}).`;
  const outcome = await cancelTicket(deps, result.ticket.id, reason, "misuse", actor);
  return outcome.ok;
}
