// A ticket's history: what its row says, merged with the events stored for it.
//
// The row already holds two moments of every ticket's life: its issue
// (createdAt, requested from) and, for a ticket of one use, that use (last
// used at / from). Writing them again as event rows cost the hot path half
// its throughput (docs/decisions/0016), so the stores keep events only for
// what a row cannot hold — looks, refusals, approvals, endings and each use
// of a ticket with several — and the history is put back together here.
import type { TicketEventRecord, TicketRecord } from "./types";

/**
 * At one instant (an injected clock makes that common), a look or an
 * approval came before the use it led to; a refusal came after it.
 */
const BEFORE_A_USE_AT_THE_SAME_INSTANT = new Set<string>(["opened", "opened_elsewhere", "approved", "wrong_number"]);

/** Whether the row itself records the ticket's use (one use, spent). */
export function rowRecordsUse(record: Pick<TicketRecord, "maxUses">): boolean {
  return record.maxUses === 1;
}

/** The full history, oldest first: `stored` is the store's events in (at, id) order. */
export function ticketHistory(record: TicketRecord, stored: readonly TicketEventRecord[]): TicketEventRecord[] {
  const issued: TicketEventRecord = {
    id: `${record.id}:issued`,
    ticketId: record.id,
    kind: "issued",
    at: record.createdAt,
    ip: record.requestedFromIp,
    userAgent: record.requestedFromUa,
    detail: null,
  };
  const history = [issued, ...stored];
  if (!rowRecordsUse(record) || record.lastUsedAt === null) return history;
  const usedAt = record.lastUsedAt;
  const used: TicketEventRecord = { id: `${record.id}:used`, ticketId: record.id, kind: "used", at: usedAt, ip: record.lastUsedIp, userAgent: record.lastUsedUa, detail: null };
  const after = history.findIndex(
    (event, i) => i > 0 && (event.at.getTime() > usedAt.getTime() || (event.at.getTime() === usedAt.getTime() && !BEFORE_A_USE_AT_THE_SAME_INSTANT.has(event.kind))),
  );
  history.splice(after === -1 ? history.length : after, 0, used);
  return history;
}
