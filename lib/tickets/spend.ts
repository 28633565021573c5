// What every store agrees on about a ticket's row, in JavaScript: the row a
// new ticket is written as, which tickets a use may spend (its scope), and
// the row after one use.
import type { Actor, NewTicketRecord, SpendScope, TicketRecord } from "./types";

/** The row a store writes for `ticket` under `id`: open, unused, never looked at (dates copied, not shared). */
export function issuedRecord(id: string, ticket: NewTicketRecord): TicketRecord {
  return {
    id,
    tokenHash: ticket.tokenHash,
    type: ticket.type,
    email: ticket.email,
    userId: ticket.userId,
    projectId: ticket.projectId,
    domain: ticket.domain,
    data: ticket.data,
    payload: ticket.payload,
    maxUses: ticket.maxUses,
    usesLeft: ticket.usesLeft,
    useCount: 0,
    openCount: 0,
    expiresAt: ticket.expiresAt === null ? null : new Date(ticket.expiresAt.getTime()),
    state: "open",
    reason: null,
    supersededById: null,
    requestedFromIp: ticket.requestedFromIp,
    requestedFromUa: ticket.requestedFromUa,
    lastUsedAt: null,
    lastUsedIp: null,
    lastUsedUa: null,
    endedAt: null,
    createdAt: new Date(ticket.createdAt.getTime()),
    updatedAt: new Date(ticket.createdAt.getTime()),
  };
}

/** Whether a use limited to `scope` may spend this ticket (the SQL stores test the same in their UPDATE). */
export function withinScope(record: Pick<TicketRecord, "domain" | "projectId" | "type">, scope: SpendScope): boolean {
  if (scope.domain !== undefined && record.domain !== scope.domain) return false;
  if (scope.projectId !== undefined && record.projectId !== scope.projectId) return false;
  if (scope.types !== undefined && !scope.types.includes(record.type)) return false;
  return true;
}

/** The ticket as one use at `now` by `actor` leaves it; the last use closes it. */
export function spentCopy(record: TicketRecord, now: Date, actor: Actor): TicketRecord {
  const usesLeft = record.usesLeft === null ? null : record.usesLeft - 1;
  return {
    ...record,
    usesLeft,
    useCount: record.useCount + 1,
    state: usesLeft === 0 ? "closed" : record.state,
    endedAt: usesLeft === 0 ? now : record.endedAt,
    lastUsedAt: now,
    lastUsedIp: actor.ip ?? null,
    lastUsedUa: actor.userAgent ?? null,
    updatedAt: now,
  };
}
