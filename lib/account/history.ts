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
