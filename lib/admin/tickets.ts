// The ticket status page's query string → the ticket core's filter.
import type { TicketFilter } from "@/lib/tickets";
import type { TicketQuery } from "@/lib/forms/admin";

const DAY = 86_400_000;

/** `from` and `to` are whole UTC days, both included. */
export function ticketFilterFrom(query: Partial<TicketQuery>): TicketFilter {
  const filter: TicketFilter = {};
  if (query.state) filter.state = query.state;
  if (query.type) filter.type = query.type;
  if (query.email) filter.email = query.email;
  if (query.q) filter.emailContains = query.q;
  if (query.domain) filter.domain = query.domain;
  if (query.project) filter.projectId = query.project;
  if (query.from) filter.createdFrom = new Date(`${query.from}T00:00:00Z`);
  if (query.to) filter.createdTo = new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY);
  return filter;
}
