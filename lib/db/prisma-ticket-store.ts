// The ticket store on Prisma: SQLite by default, PostgreSQL at scale.
import { rowRecordsUse } from "@/lib/tickets/history";
import { LIVE, SUPERSEDED_REASON, holds, supersededBy } from "@/lib/tickets/rules";
import type { TicketService } from "@/lib/tickets/service";
import type {
  Actor,
  CleanupReport,
  Condition,
  NewTicketEvent,
  NewTicketRecord,
  OutboxMessage,
  RuleParams,
  SpendKey,
  SpendScope,
  SupersedeScope,
  TicketEnding,
  TicketEventRecord,
  TicketRecord,
  TicketState,
  TicketStore,
} from "@/lib/tickets/types";

import type { Db, Prisma } from "./client";
import { isForeignKeyViolation } from "./errors";
import { spentCopy, withinScope } from "@/lib/tickets/spend";

type Row = Prisma.TicketGetPayload<object>;

const toRecord = (row: Row): TicketRecord => row as TicketRecord;
const toEvent = (row: Prisma.TicketEventGetPayload<object>): TicketEventRecord => row as TicketEventRecord;

const COMPARISONS = { "=": "equals", "<>": "not", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" } as const;

/** A rule (lib/tickets/rules.ts) as a Prisma `where`, with "now" bound. */
function compile(condition: Condition, params: RuleParams): Prisma.TicketWhereInput {
  if ("all" in condition) return { AND: condition.all.map((part) => compile(part, params)) };
  if ("any" in condition) return { OR: condition.any.map((part) => compile(part, params)) };
  if (condition.is === "null") return { [condition.column]: null };
  if (condition.is === "notnull") return { [condition.column]: { not: null } };
  if (condition.is === "containing") return { email: { contains: condition.value } };
  const value = condition.value;
  return { [condition.column]: { [COMPARISONS[condition.is]]: typeof value === "object" && !(value instanceof Date) ? params[value.param] : value } };
}

/** Rolls back a limited create whose project had no place left. */
class ProjectFull extends Error {}

export class PrismaTicketStore implements TicketStore {
  /**
   * `db` is the client, or a transaction's client with `inTransaction` (see
   * inTicketTransaction): then every write is part of that transaction.
   */
  constructor(
    private readonly db: Db,
    private readonly options: { inTransaction?: boolean } = {},
  ) {}

  /**
   * Runs `work` in one transaction: the store's own, or the caller's it is
   * bound to. Never a nested $transaction: on PostgreSQL that one would
   * commit on its own, whatever the caller's transaction did afterwards.
   */
  private atomically<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return this.options.inTransaction ? work(this.db) : this.db.$transaction((tx) => work(tx as unknown as Db));
  }

  async create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null = null) {
    const at = ticket.createdAt;
    const data = { ...ticket, updatedAt: at };
    // Queued as the outbox's enqueueMail does: pending, due at once.
    const mailData = mail && { recipient: mail.recipient, template: mail.template, sealed: mail.sealed, state: "pending", attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at };
    const older = supersede && supersededBy(supersede);
    if (!older) {
      // A batch of two is one transaction, far cheaper than an interactive one.
      if (!mailData) return { record: toRecord(await this.db.ticket.create({ data })), superseded: [], mailId: null };
      const writes = [this.db.ticket.create({ data }), this.db.mailMessage.create({ data: mailData, select: { id: true } })] as const;
      const [record, queued] = this.options.inTransaction ? [await writes[0], await writes[1]] : await this.db.$transaction([...writes]);
      return { record: toRecord(record), superseded: [], mailId: queued.id };
    }
    return this.atomically(async (tx) => {
      const record = await tx.ticket.create({ data });
      const mailId = mailData ? (await tx.mailMessage.create({ data: mailData, select: { id: true } })).id : null;
      const superseded = await endAllIn(tx, older(record.id), at, { state: "superseded", reason: SUPERSEDED_REASON, supersededById: record.id }, { kind: "superseded", at, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: record.id });
      return { record: toRecord(record), superseded, mailId };
    });
  }

  /** An API ticket and one of its project's places, in one transaction (docs/decisions/0013). */
  async createWithinLimit(ticket: NewTicketRecord & { projectId: string }, actor: Actor, maxLive: number) {
    void actor; // the row records who asked (requestedFrom*)
    const data = { ...ticket, updatedAt: ticket.createdAt };
    const takePlace = (db: Db) =>
      db.$executeRaw`UPDATE "api_projects" SET "ticketsIssued" = "ticketsIssued" + 1 WHERE "id" = ${ticket.projectId} AND "ticketsIssued" - "ticketsEnded" < ${maxLive}`;
    if (this.options.inTransaction) return (await takePlace(this.db)) === 1 ? toRecord(await this.db.ticket.create({ data })) : null;
    try {
      return await this.db.$transaction(async (client) => {
        const tx = client as unknown as Db;
        const record = await tx.ticket.create({ data });
        // The place last: the project's row is locked only from here to the commit.
        if ((await takePlace(tx)) !== 1) throw new ProjectFull();
        return toRecord(record);
      });
    } catch (error) {
      if (error instanceof ProjectFull) return null;
      throw error;
    }
  }

  /**
   * Through Prisma, which cannot express the last use's CASE in one UPDATE:
   * a read and a compare-and-set. A lost race spends nothing, and the core
   * then reads the ticket again and says why.
   */
  async spendLive(key: SpendKey, scope: SpendScope, now: Date, actor: Actor) {
    const found = "tokenHash" in key ? await this.findByHash(key.tokenHash) : await this.findById(key.id);
    if (!found || !withinScope(found, scope) || !holds(LIVE, found, { now }) || found.usesLeft === 0) return null;
    const used: NewTicketEvent | undefined = rowRecordsUse(found) ? undefined : { ticketId: found.id, kind: "used", at: now, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: null };
    if (!(await this.spend(found.id, found.usesLeft, now, actor, used))) return null;
    return toRecord(spentCopy(found, now, actor));
  }

  async spendLiveBrief(key: SpendKey, scope: SpendScope, now: Date, actor: Actor) {
    const spent = await this.spendLive(key, scope, now, actor);
    return spent && { id: spent.id, usesLeft: spent.usesLeft, payload: spent.payload };
  }

  // findFirst, not findUnique: Prisma batches findUnique calls through a
  // per-tick loader, which costs more than it saves on this hot path.
  async findByHash(tokenHash: string) {
    const row = await this.db.ticket.findFirst({ where: { tokenHash } });
    return row ? toRecord(row) : null;
  }

  async findById(id: string) {
    const row = await this.db.ticket.findFirst({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent) {
    // The check and the spend are one UPDATE … WHERE: the database applies it
    // to a row that still matches or to none, on SQLite (one writer at a time)
    // and on PostgreSQL (the row lock makes the loser re-check the WHERE).
    // Comparing with the uses left we read makes this a compare-and-set: a
    // lost race changes nothing and the core reads again. The "used" event
    // commits with it; the UPDATE comes first, so on SQLite the transaction
    // holds the write lock before it reads anything.
    const last = expectedUsesLeft === 1;
    if (!used) return this.spendOnly(this.db, id, expectedUsesLeft, now, actor, last);
    return this.atomically(async (db) => {
      if (!(await this.spendOnly(db, id, expectedUsesLeft, now, actor, last))) return false;
      await db.ticketEvent.create({ data: used });
      return true;
    });
  }

  private async spendOnly(db: Db, id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, last: boolean) {
    const { count } = await db.ticket.updateMany({
      where: {
        id,
        usesLeft: expectedUsesLeft === null ? null : { equals: expectedUsesLeft, gt: 0 },
        AND: [compile(LIVE, { now })],
      },
      data: {
        ...(expectedUsesLeft === null ? {} : { usesLeft: expectedUsesLeft - 1 }),
        useCount: { increment: 1 },
        lastUsedAt: now,
        lastUsedIp: actor.ip ?? null,
        lastUsedUa: actor.userAgent ?? null,
        updatedAt: now,
        ...(last ? { state: "closed", endedAt: now } : {}),
      },
    });
    return count === 1;
  }

  async end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events: NewTicketEvent[] = []) {
    const change = (db: Db) => db.ticket.updateMany({ where: { id, state: "open" }, data: { state, reason, endedAt: now, updatedAt: now } });
    if (events.length === 0) return (await change(this.db)).count === 1;
    // As in spend: the write first, its events only if it happened, one transaction.
    return this.atomically(async (db) => {
      if ((await change(db)).count !== 1) return false;
      await db.ticketEvent.createMany({ data: events });
      return true;
    });
  }

  async endAll(where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">) {
    return this.atomically((db) => endAllIn(db, where, now, ending, event));
  }

  async recordOpened(id: string, event: NewTicketEvent) {
    const writes = [this.db.ticket.updateMany({ where: { id }, data: { openCount: { increment: 1 } } }), this.db.ticketEvent.create({ data: event })] as const;
    if (this.options.inTransaction) for (const write of writes) await write;
    else await this.db.$transaction([...writes]);
  }

  async addEvent(event: NewTicketEvent) {
    try {
      await this.db.ticketEvent.create({ data: event });
    } catch (error) {
      // The ticket was deleted meanwhile (a refusal racing a delete): its event goes with it, as on the raw stores.
      if (!isForeignKeyViolation(error)) throw error;
    }
  }

  async events(ticketId: string) {
    const rows = await this.db.ticketEvent.findMany({ where: { ticketId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    return rows.map(toEvent);
  }

  async delete(id: string) {
    // Events go with the ticket (ON DELETE CASCADE).
    const { count } = await this.db.ticket.deleteMany({ where: { id } });
    return count === 1;
  }

  async cleanup(where: Condition, now: Date, batchSize: number, maxBatches = Infinity): Promise<CleanupReport> {
    const report: CleanupReport = { removed: 0, byState: {} };
    const doomed = compile(where, { now });
    // Small batches keep each write transaction short, so ticket use never waits long behind clean-up.
    for (let batches = 1; ; batches++) {
      const batch = await this.db.ticket.findMany({ where: doomed, select: { id: true, state: true }, take: batchSize });
      if (batch.length === 0) return report;
      const { count } = await this.db.ticket.deleteMany({ where: { AND: [doomed, { id: { in: batch.map((row) => row.id) } }] } });
      report.removed += count;
      for (const row of batch) report.byState[row.state as TicketState] = (report.byState[row.state as TicketState] ?? 0) + 1;
      if (batch.length < batchSize || batches >= maxBatches) return report;
    }
  }

  async list(where: Condition, now: Date, limit: number) {
    const rows = await this.db.ticket.findMany({ where: compile(where, { now }), orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
    return rows.map(toRecord);
  }

  async count(where: Condition, now: Date) {
    return this.db.ticket.count({ where: compile(where, { now }) });
  }
}

/** Ends the open tickets `where` selects, each with its event, on `db` (inside the caller's transaction). */
async function endAllIn(db: Db, where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">): Promise<string[]> {
  const ended = await db.ticket.updateManyAndReturn({
    // state: "open" again: a ticket used meanwhile stays used.
    where: { AND: [{ state: "open" }, compile(where, { now })] },
    data: { state: ending.state, reason: ending.reason, supersededById: ending.state === "superseded" ? ending.supersededById : null, endedAt: now, updatedAt: now },
    select: { id: true },
  });
  if (ended.length > 0) await db.ticketEvent.createMany({ data: ended.map(({ id }) => ({ ...event, ticketId: id })) });
  return ended.map(({ id }) => id);
}

/**
 * Runs `work` in one database transaction with the ticket core bound to it:
 * the tickets it spends, revokes or deletes and `work`'s own writes (a
 * password, an audit row, a queued mail) commit together or not at all.
 *
 * On SQLite this goes through Prisma's connection, not the raw store's (one
 * transaction needs one connection); both write the same rows. Prisma begins
 * a deferred transaction there, and one that reads before its first write
 * fails at once with SQLITE_BUSY when another connection commits in between,
 * so the first statement takes the write lock (a no-op on PostgreSQL).
 */
export function inTicketTransaction<T>(db: Db, tickets: TicketService, work: (tx: Db, tickets: TicketService) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (client) => {
      const tx = client as unknown as Db;
      await tx.$executeRaw`UPDATE "tickets" SET "id" = "id" WHERE 1 = 0`;
      return work(tx, tickets.withStore(new PrismaTicketStore(tx, { inTransaction: true })));
    },
    // Waiting for Prisma's one SQLite connection (or a pool slot) may take as long as the raw store waits for a lock.
    { maxWait: 10_000, timeout: 10_000 },
  );
}
