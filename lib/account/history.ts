// The account page's ticket history: the tickets mailed to the person's
// address — minus those issued to another account that had the address
// before (addresses move between accounts with e-mail changes), which are
// not theirs to see or to cancel.
import type { TicketService, TicketView } from "@/lib/tickets";

export function isOwnTicket(ticket: Pick<TicketView, "email" | "userId">, user: { id: string; email: string }): boolean {
  return ticket.email === user.email && (ticket.userId === null || ticket.userId === user.id);
}

export async function accountHistory(tickets: TicketService, user: { id: string; email: string }, limit = 10): Promise<TicketView[]> {
  const page = await tickets.list({ email: user.email }, { limit });
  return page.items.filter((ticket) => isOwnTicket(ticket, user));
}

/** How many links the account page shows at once; older ones sit behind "Older links". */
export const RECENT_LINKS = 5;

/**
 * A link's history as the person reads it: the looks by the browser that
 * asked before the link was used are folded into the use (opening your own
 * link and then pressing its button is one act, not three lines). Looks from
 * elsewhere, approvals and refusals always stay: they are what a person
 * checks their history for.
 */
export function foldedHistory<E extends { kind: string }>(events: readonly E[]): E[] {
  const used = events.findIndex((event) => event.kind === "used");
  if (used === -1) return [...events];
  return events.filter((event, i) => !(event.kind === "opened" && i < used));
}
