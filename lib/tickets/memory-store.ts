// An in-memory TicketStore: the reference semantics for the Prisma store and
// the store of the core's unit tests. JavaScript runs one callback at a time,
// so each method below is atomic; the awaits only mimic a real store's timing.
import { randomUUID } from "node:crypto";

import type {
  Actor,
  CleanupReport,
  NewTicketEvent,
  NewTicketRecord,
  OutboxMessage,
  SupersedeScope,
  TicketEventRecord,
  TicketFilter,
  TicketRecord,
  TicketState,
  TicketStore,
} from "./types";

export class MemoryTicketStore implements TicketStore {
  readonly tickets = new Map<string, TicketRecord>();
  readonly eventLog: TicketEventRecord[] = [];
  /** Mails queued with their tickets, in order. */
  readonly outbox: (OutboxMessage & { id: string; ticketId: string })[] = [];

  async create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null = null) {
    await Promise.resolve();
    return this.insert(ticket, supersede, actor, mail);
  }

  private insert(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null) {
    const record: TicketRecord = {
      ...ticket,
      id: randomUUID(),
      useCount: 0,
      openCount: 0,
      reason: null,
      supersededById: null,
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedUa: null,
      endedAt: null,
      state: "open",
      updatedAt: ticket.createdAt,
    };
    const superseded: string[] = [];
    if (supersede) {
      for (const other of this.tickets.values()) {
        if (other.state === "open" && other.type === supersede.type && other.domain === supersede.domain && sameOwner(other, supersede)) {
          Object.assign(other, { state: "superseded", supersededById: record.id, reason: "a newer ticket was issued", endedAt: ticket.createdAt, updatedAt: ticket.createdAt });
          this.push({ ticketId: other.id, kind: "superseded", at: ticket.createdAt, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: record.id });
          superseded.push(other.id);
        }
      }
    }
    this.tickets.set(record.id, record);
    this.push({ ticketId: record.id, kind: "issued", at: ticket.createdAt, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: null });
    const mailId = mail ? randomUUID() : null;
    if (mail && mailId) this.outbox.push({ ...mail, id: mailId, ticketId: record.id });
    return { record: { ...record }, superseded, mailId };
  }

  /** No projects here: the reference semantics, the exact live count, stands in for the databases' counter. */
  async createWithinLimit(ticket: NewTicketRecord & { projectId: string }, actor: Actor, maxLive: number) {
    await Promise.resolve();
    const now = ticket.createdAt.getTime();
    let live = 0;
    for (const other of this.tickets.values()) {
      if (other.projectId === ticket.projectId && other.state === "open" && (other.expiresAt === null || other.expiresAt.getTime() > now)) live += 1;
    }
    // Nothing is awaited between the count and the insert, so parallel calls cannot both take the last place.
    return live < maxLive ? this.insert(ticket, null, actor, null).record : null;
  }

  async findByHash(tokenHash: string) {
    await Promise.resolve();
    for (const record of this.tickets.values()) if (record.tokenHash === tokenHash) return { ...record };
    return null;
  }

  async findById(id: string) {
    await Promise.resolve();
    const record = this.tickets.get(id);
    return record ? { ...record } : null;
  }

  async spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent) {
    await Promise.resolve();
    const record = this.tickets.get(id);
    if (!record || record.state !== "open" || record.usesLeft !== expectedUsesLeft) return false;
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) return false;
    if (record.usesLeft !== null && record.usesLeft <= 0) return false;
    const usesLeft = record.usesLeft === null ? null : record.usesLeft - 1;
    Object.assign(record, {
      usesLeft,
      useCount: record.useCount + 1,
      lastUsedAt: now,
      lastUsedIp: actor.ip ?? null,
      lastUsedUa: actor.userAgent ?? null,
      updatedAt: now,
      ...(usesLeft === 0 ? { state: "closed", endedAt: now } : {}),
    });
    // In the same synchronous step: the use and its event, or neither.
    if (used) this.push(used);
    return true;
  }

  async end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events: NewTicketEvent[] = []) {
    await Promise.resolve();
    const record = this.tickets.get(id);
    if (!record || record.state !== "open") return false;
    Object.assign(record, { state, reason, endedAt: now, updatedAt: now });
    for (const event of events) this.push(event);
    return true;
  }

  async recordOpened(id: string, event: NewTicketEvent) {
    await Promise.resolve();
    const record = this.tickets.get(id);
    if (!record) return;
    record.openCount += 1;
    this.push(event);
  }

  async addEvent(event: NewTicketEvent) {
    await Promise.resolve();
    if (this.tickets.has(event.ticketId)) this.push(event);
  }

  async events(ticketId: string) {
    await Promise.resolve();
    return this.eventLog.filter((event) => event.ticketId === ticketId).map((event) => ({ ...event }));
  }

  async delete(id: string) {
    await Promise.resolve();
    const existed = this.tickets.delete(id);
    if (existed) this.dropEvents(new Set([id]));
    return existed;
  }

  /** One batch of any size: everything due goes at once. */
  async cleanup(before: Date, _batchSize: number, _maxBatches?: number): Promise<CleanupReport> {
    await Promise.resolve();
    const report: CleanupReport = { removed: 0, byState: {} };
    const doomed = new Set<string>();
    for (const record of this.tickets.values()) {
      const ended = record.state !== "open" && record.endedAt !== null && record.endedAt.getTime() < before.getTime();
      const lapsed = record.state === "open" && record.expiresAt !== null && record.expiresAt.getTime() < before.getTime();
      if (ended || lapsed) {
        const state: TicketState = lapsed ? "expired" : record.state;
        report.byState[state] = (report.byState[state] ?? 0) + 1;
        doomed.add(record.id);
      }
    }
    for (const id of doomed) this.tickets.delete(id);
    this.dropEvents(doomed);
    report.removed = doomed.size;
    return report;
  }

  async list(filter: TicketFilter, now: Date, limit: number, cursor: { createdAt: Date; id: string } | null) {
    await Promise.resolve();
    return [...this.tickets.values()]
      .filter((record) => matches(record, filter, now))
      .filter((record) => !cursor || record.createdAt.getTime() < cursor.createdAt.getTime() || (record.createdAt.getTime() === cursor.createdAt.getTime() && record.id < cursor.id))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map((record) => ({ ...record }));
  }

  private push(event: NewTicketEvent) {
    this.eventLog.push({ ...event, id: randomUUID() });
  }

  private dropEvents(ids: Set<string>) {
    for (let i = this.eventLog.length - 1; i >= 0; i--) if (ids.has(this.eventLog[i]!.ticketId)) this.eventLog.splice(i, 1);
  }
}

function sameOwner(record: TicketRecord, scope: SupersedeScope): boolean {
  return scope.email !== null ? record.email === scope.email : scope.userId !== null && record.userId === scope.userId;
}

function matches(record: TicketRecord, filter: TicketFilter, now: Date): boolean {
  const expired = record.state === "expired" || (record.state === "open" && record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime());
  if (filter.state === "expired" && !expired) return false;
  if (filter.state === "open" && (record.state !== "open" || expired)) return false;
  if (filter.state && filter.state !== "open" && filter.state !== "expired" && record.state !== filter.state) return false;
  if (filter.type && record.type !== filter.type) return false;
  if (filter.email && record.email !== filter.email) return false;
  if (filter.emailContains && !(record.email ?? "").includes(filter.emailContains.toLowerCase())) return false;
  if (filter.domain && record.domain !== filter.domain) return false;
  if (filter.projectId && record.projectId !== filter.projectId) return false;
  if (filter.userId && record.userId !== filter.userId) return false;
  if (filter.createdFrom && record.createdAt.getTime() < filter.createdFrom.getTime()) return false;
  if (filter.createdTo && record.createdAt.getTime() >= filter.createdTo.getTime()) return false;
  return true;
}
