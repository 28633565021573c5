import { isWellFormedTicket } from "@/lib/tickets/token";

/**
 * The link mailed for a ticket. It is built from the configured public URL
 * only — never from the request's Host or X-Forwarded-* headers, which a
 * client chooses — so a poisoned request cannot make us mail a link to
 * someone else's server.
 */
export function ticketLink(appUrl: string, ticket: string): string {
  if (!isWellFormedTicket(ticket)) throw new Error("not a ticket");
  return `${new URL(appUrl).origin}/ticket/${ticket}`;
}
