// The ticket store written directly on better-sqlite3, for SQLite databases on
// hot paths. Prisma costs 0.2–0.5 ms per query in its query compiler and
// adapter, which caps the HTTP API far below its throughput goals; prepared
// statements cost what SQLite itself costs (bench/core.ts compares the three).
//
// The database is shared with Prisma (the same file is read and written by
// lib/db/prisma-ticket-store.ts and the rest of the app), so every value is
// stored exactly as @prisma/adapter-better-sqlite3 stores it:
// - DateTime: TEXT, `Date#toISOString()` with "Z" replaced by "+00:00"
//   (e.g. 2026-11-24T08:29:40.090+00:00);
// - Int: INTEGER, read back as JS numbers (safeIntegers stays off: every
//   count here is far below 2^53);
// - ids: TEXT, generated here, because Prisma's cuid() default is applied by
//   the Prisma client, not by the database.
import Database from "better-sqlite3";

import { rowRecordsUse } from "@/lib/tickets/history";
import { issuedRecord } from "@/lib/tickets/spend";
import { LIVE, SUPERSEDED_REASON, supersededBy } from "@/lib/tickets/rules";
import type {
  Actor,
  CleanupReport,
  Condition,
  EventKind,
  NewTicketEvent,
  NewTicketRecord,
  OutboxMessage,
  SpendKey,
  SpendScope,
  SpentUse,
  SupersedeScope,
  TicketEnding,
  TicketEventRecord,
  TicketRecord,
  TicketState,
  TicketStore,
  TicketType,
} from "@/lib/tickets/types";

import { engineOf, sqlitePath } from "./engine";
import { GroupCommit } from "./group-commit";
import { orderedId } from "./ids";
import { TICKET_COLUMNS, TICKET_COLUMN_LIST } from "./ticket-columns";
import { type SqlDialect, type SqlRule, compileRule, compileScope, scopeShape, spendAssignments } from "./sql-rules";
import { type WalCheckpointer, checkpointInBackground } from "./wal-checkpointer";

/** A `tickets` row as better-sqlite3 returns it: the record, with dates as ISO text and type/state unchecked. */
type TicketRow = {
  [K in keyof TicketRecord]: TicketRecord[K] extends Date ? SqlDate : TicketRecord[K] extends Date | null ? SqlDate | null : K extends "type" | "state" ? string : TicketRecord[K];
};

interface EventRow {
  id: string;
  ticketId: string;
  kind: string;
  at: SqlDate;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

/** What a brief spend returns: the ticket's id, uses left and payload, and `maxUses`, which says whether the row records the use. */
type SpentUseRow = SpentUse & Pick<TicketRecord, "maxUses">;
const SPENT_USE_COLUMNS = `"id", "usesLeft", "payload", "maxUses"`;

/** What a spend returns: the whole row, or only what `spendLiveBrief` answers. */
type Returning = "record" | "brief";

/** ISO text as written by Prisma and this store; a number if the adapter was ever set to "unixepoch-ms". */
type SqlDate = string | number;

const TICKET_SELECT = `SELECT ${TICKET_COLUMN_LIST} FROM "tickets"`;
const EVENT_SELECT = `SELECT "id", "ticketId", "kind", "at", "ip", "userAgent", "detail" FROM "ticket_events"`;

/**
 * Dates are compared in SQL as text (expiry, clean-up, paging). That is
 * correct because both writers produce one fixed-width format with one
 * offset, so text order is time order — for years 0000–9999. Dates outside
 * that range (toISOString writes "+010000-…") would compare wrongly, here
 * exactly as they do through Prisma, which writes and compares the same text.
 */
function toSql(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function toSqlOrNull(date: Date | null): string | null {
  return date === null ? null : toSql(date);
}

function fromSql(value: SqlDate): Date {
  if (typeof value === "number") return new Date(value);
  if (value.endsWith("+00:00") || value.endsWith("Z")) return new Date(value);
  // SQLite's own CURRENT_TIMESTAMP ("2026-11-24 08:29:40"), e.g. a column
  // default used by a hand-written INSERT: UTC without an offset, which
  // Date would read as local time. Prisma reads it as UTC too.
  return new Date(/[+-]\d\d:\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
}

function fromSqlOrNull(value: SqlDate | null): Date | null {
  return value === null ? null : fromSql(value);
}

function toRecord(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    tokenHash: row.tokenHash,
    type: row.type as TicketType,
    email: row.email,
    userId: row.userId,
    projectId: row.projectId,
    domain: row.domain,
    data: row.data,
    payload: row.payload,
    maxUses: row.maxUses,
    usesLeft: row.usesLeft,
    useCount: row.useCount,
    openCount: row.openCount,
    expiresAt: fromSqlOrNull(row.expiresAt),
    state: row.state as TicketState,
    reason: row.reason,
    supersededById: row.supersededById,
    requestedFromIp: row.requestedFromIp,
    requestedFromUa: row.requestedFromUa,
    lastUsedAt: fromSqlOrNull(row.lastUsedAt),
    lastUsedIp: row.lastUsedIp,
    lastUsedUa: row.lastUsedUa,
    endedAt: fromSqlOrNull(row.endedAt),
    createdAt: fromSql(row.createdAt),
    updatedAt: fromSql(row.updatedAt),
  };
}

/** SQLite's SQL: dates as the text Prisma writes. */
const SQLITE: SqlDialect = {
  placeholder: () => "?",
  date: toSql,
  // instr, not LIKE: "%" and "_" in the search text are plain characters.
  // (Prisma's `contains` passes them to LIKE unescaped on SQLite.) Both
  // sides are lower-cased, like LIKE's ASCII case-folding.
  containing: (column, placeholder) => `instr(lower(${column}), ${placeholder}) > 0`,
  oneOf: (column, values, bind) => (values.length === 0 ? "0 = 1" : `${column} IN (${values.map(bind).join(", ")})`),
};

const compile = (condition: Condition): SqlRule => compileRule(condition, SQLITE);

function toEvent(row: EventRow): TicketEventRecord {
  return { id: row.id, ticketId: row.ticketId, kind: row.kind as EventKind, at: fromSql(row.at), ip: row.ip, userAgent: row.userAgent, detail: row.detail };
}

/** How long an operation waits for another connection's write lock before SQLITE_BUSY reaches the caller. */
const BUSY_WAIT_MS = 10_000;

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && (error.code === "SQLITE_BUSY" || error.code.startsWith("SQLITE_BUSY_"));
}

/**
 * Runs a synchronous statement or transaction; while another connection
 * holds the lock, tries again after a pause (1 ms, doubling up to 25 ms)
 * that gives the event loop back. Safe to repeat: a busy statement, and a
 * busy `BEGIN IMMEDIATE`, changed nothing, and a transaction that failed was
 * rolled back by better-sqlite3. Costs nothing when there is no contention.
 */
async function retry<T>(operation: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
    try {
      return operation();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

export class SqliteTicketStore implements TicketStore {
  private readonly insertTicket: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly insertMail: Database.Statement;
  private readonly takePlace: Database.Statement;
  private readonly insertEventIfTicket: Database.Statement;
  private readonly selectByHash: Database.Statement<[string], TicketRow>;
  private readonly selectById: Database.Statement<[string], TicketRow>;
  private readonly spendLimited: Database.Statement;
  private readonly spendUnlimited: Database.Statement;
  private readonly endOne: Database.Statement;
  private readonly countOpened: Database.Statement;
  private readonly selectEvents: Database.Statement<[string], EventRow>;
  private readonly deleteOne: Database.Statement;
  private readonly deleteDoomed: Database.Statement;
  /** "Live" as SQL, compiled once for the spends. */
  private readonly live = compile(LIVE);
  /** One statement per shape of rule, prepared on first use. */
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  /** The hot writes (issue, use, look) commit in groups. */
  private readonly group: GroupCommit;

  private readonly createTx: (
    ticket: NewTicketRecord,
    supersede: SupersedeScope | null,
    actor: Actor,
    mail: OutboxMessage | null,
    maxLive: number | null,
  ) => { record: TicketRecord; superseded: string[]; mailId: string | null } | null;
  private readonly recordOpenedTx: (id: string, event: NewTicketEvent) => void;
  private readonly spendLiveTx: <R extends TicketRow | SpentUseRow>(key: SpendKey, scope: SpendScope, now: Date, actor: Actor, returning: Returning) => R | null;
  private readonly spendTx: (id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used: NewTicketEvent | null) => boolean;
  private readonly endTx: (id: string, state: string, reason: string | null, at: string, events: NewTicketEvent[]) => boolean;
  private readonly endAllTx: (where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">) => string[];
  private readonly cleanupBatchTx: (select: Database.Statement<unknown[]>, values: unknown[], batchSize: number) => { id: string; state: string }[];

  /**
   * `db` is a handle the caller opened (see `SqliteTicketStore.open`) on a
   * database migrated from prisma/migrations/sqlite.
   */
  /** The worker that checkpoints the WAL, when `open` was asked for one. */
  private checkpointer: WalCheckpointer | null = null;

  constructor(private readonly db: Database.Database) {
    // Deleting a ticket takes its events through ON DELETE CASCADE, which
    // SQLite applies only with foreign keys on. better-sqlite3 turns them on
    // for every handle it opens; this makes sure nobody turned them off.
    db.pragma("foreign_keys = ON");

    this.insertTicket = db.prepare(
      `INSERT INTO "tickets" (${TICKET_COLUMN_LIST}) VALUES (${TICKET_COLUMNS.map(() => "?").join(", ")})`,
    );
    this.insertEvent = db.prepare(`INSERT INTO "ticket_events" ("id", "ticketId", "kind", "at", "ip", "userAgent", "detail") VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // As lib/mail/outbox.ts's enqueueMail writes it: pending, due at once.
    this.insertMail = db.prepare(
      `INSERT INTO "mail_messages" ("id", "recipient", "template", "sealed", "state", "attempts", "nextAttemptAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    // One of the project's places, counted in the create's transaction (docs/decisions/0013).
    this.takePlace = db.prepare(`UPDATE "api_projects" SET "ticketsIssued" = "ticketsIssued" + 1 WHERE "id" = ? AND "ticketsIssued" - "ticketsEnded" < ?`);
    // An event for a ticket deleted meanwhile is dropped rather than
    // failing the caller on the foreign key.
    this.insertEventIfTicket = db.prepare(
      `INSERT INTO "ticket_events" ("id", "ticketId", "kind", "at", "ip", "userAgent", "detail") SELECT ?, "id", ?, ?, ?, ?, ? FROM "tickets" WHERE "id" = ?`,
    );
    this.selectByHash = db.prepare<[string], TicketRow>(`${TICKET_SELECT} WHERE "tokenHash" = ?`);
    this.selectById = db.prepare<[string], TicketRow>(`${TICKET_SELECT} WHERE "id" = ?`);
    // The check and the spend are one UPDATE … WHERE, applied by SQLite's
    // single writer to a row that still matches or to none. Comparing with
    // the uses left the caller read makes it a compare-and-set: a lost race
    // changes nothing and the core reads again.
    this.spendLimited = db.prepare(
      `UPDATE "tickets" SET ${spendAssignments("?", "?", "?")}
       WHERE "id" = ? AND "usesLeft" = ? AND "usesLeft" > 0 AND ${this.live.sql}`,
    );
    this.spendUnlimited = db.prepare(
      `UPDATE "tickets" SET "useCount" = "useCount" + 1, "lastUsedAt" = ?, "lastUsedIp" = ?, "lastUsedUa" = ?, "updatedAt" = ?
       WHERE "id" = ? AND "usesLeft" IS NULL AND ${this.live.sql}`,
    );
    this.endOne = db.prepare(`UPDATE "tickets" SET "state" = ?, "reason" = ?, "endedAt" = ?, "updatedAt" = ? WHERE "id" = ? AND "state" = 'open'`);
    this.countOpened = db.prepare(`UPDATE "tickets" SET "openCount" = "openCount" + 1 WHERE "id" = ?`);
    this.selectEvents = db.prepare<[string], EventRow>(`${EVENT_SELECT} WHERE "ticketId" = ? ORDER BY "at" ASC, "id" ASC`);
    this.deleteOne = db.prepare(`DELETE FROM "tickets" WHERE "id" = ?`);
    // One statement for any batch size: the ids travel as one JSON array.
    this.deleteDoomed = db.prepare(`DELETE FROM "tickets" WHERE "id" IN (SELECT "value" FROM json_each(?))`);

    // Ends what a rule selects, inside the caller's transaction: the rows and their events together.
    const endAll = (where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">): string[] => {
      const rule = compile(where);
      const update = this.statement(`UPDATE "tickets" SET "state" = ?, "reason" = ?, "supersededById" = ?, "endedAt" = ?, "updatedAt" = ? WHERE "state" = 'open' AND ${rule.sql} RETURNING "id"`);
      const at = toSql(now);
      const ended = update.all(ending.state, ending.reason, ending.state === "superseded" ? ending.supersededById : null, at, at, ...rule.values({ now })) as { id: string }[];
      for (const { id } of ended) this.insertEvent.run(orderedId(), id, event.kind, toSql(event.at), event.ip, event.userAgent, event.detail);
      return ended.map((row) => row.id);
    };

    // The hot writes below (create, look, spend) run inside the group
    // commit's transaction (lib/db/group-commit.ts): each is all or nothing,
    // with other writes or alone, and begins no transaction itself. The other
    // writes are their own transactions. All begin IMMEDIATE, which takes the
    // write lock at BEGIN: a deferred transaction that reads first and writes
    // later fails at once with SQLITE_BUSY (the busy timeout does not apply)
    // when another connection — Prisma's, say — committed in between; waiting
    // for the lock up front avoids that.
    this.createTx = (ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null, maxLive: number | null) => {
      if (maxLive !== null && this.takePlace.run(ticket.projectId, maxLive).changes !== 1) return null;
      const record = issuedRecord(orderedId(), ticket);
      const at = toSql(ticket.createdAt);
      const ip = actor.ip ?? null;
      const userAgent = actor.userAgent ?? null;
      this.insertTicket.run(
        record.id,
        record.tokenHash,
        record.type,
        record.email,
        record.userId,
        record.projectId,
        record.domain,
        record.data,
        record.payload,
        record.maxUses,
        record.usesLeft,
        0,
        0,
        toSqlOrNull(record.expiresAt),
        "open",
        null,
        null,
        record.requestedFromIp,
        record.requestedFromUa,
        null,
        null,
        null,
        null,
        at,
        at,
      );
      const older = supersede && supersededBy(supersede);
      const superseded = older
        ? endAll(older(record.id), ticket.createdAt, { state: "superseded", reason: SUPERSEDED_REASON, supersededById: record.id }, { kind: "superseded", at: ticket.createdAt, ip, userAgent, detail: record.id })
        : [];
      let mailId: string | null = null;
      if (mail) {
        mailId = orderedId();
        this.insertMail.run(mailId, mail.recipient, mail.template, mail.sealed, at, at, at);
      }
      return { record, superseded, mailId };
    };

    this.recordOpenedTx = (id: string, event: NewTicketEvent) => {
      // Unlike the Prisma store (whose @updatedAt stamps the wall clock on
      // every update), a look leaves updatedAt alone: it changes no state.
      if (this.countOpened.run(id).changes === 1) {
        this.insertEvent.run(orderedId(), id, event.kind, toSql(event.at), event.ip, event.userAgent, event.detail);
      }
    };

    // The spend and its "used" event: one write of the group, so a use is
    // never spent without its history, nor recorded without being spent.
    this.spendTx = (id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used: NewTicketEvent | null) => {
      const at = toSql(now);
      const ip = actor.ip ?? null;
      const userAgent = actor.userAgent ?? null;
      const live = this.live.values({ now });
      const { changes } =
        expectedUsesLeft === null ? this.spendUnlimited.run(at, ip, userAgent, at, id, ...live) : this.spendLimited.run(at, at, ip, userAgent, at, id, expectedUsesLeft, ...live);
      if (changes !== 1) return false;
      if (used) this.insertEvent.run(orderedId(), used.ticketId, used.kind, toSql(used.at), used.ip, used.userAgent, used.detail);
      return true;
    };

    this.spendLiveTx = <R extends TicketRow | SpentUseRow>(key: SpendKey, scope: SpendScope, now: Date, actor: Actor, returning: Returning): R | null => {
      const at = toSql(now);
      const byHash = "tokenHash" in key;
      const row = this.spendLiveStatement(byHash, scope, returning).get(
        at,
        at,
        actor.ip ?? null,
        actor.userAgent ?? null,
        at,
        byHash ? key.tokenHash : key.id,
        ...this.live.values({ now }),
        ...compileScope(scope, SQLITE, 1).values,
      ) as R | undefined;
      if (!row) return null;
      if (!rowRecordsUse(row)) this.insertEvent.run(orderedId(), row.id, "used", at, actor.ip ?? null, actor.userAgent ?? null, null);
      return row;
    };

    this.endTx = db.transaction((id: string, state: string, reason: string | null, at: string, events: NewTicketEvent[]) => {
      if (this.endOne.run(state, reason, at, at, id).changes !== 1) return false;
      for (const event of events) this.insertEvent.run(orderedId(), event.ticketId, event.kind, toSql(event.at), event.ip, event.userAgent, event.detail);
      return true;
    }).immediate;

    this.endAllTx = db.transaction(endAll).immediate;

    this.cleanupBatchTx = db.transaction((select: Database.Statement<unknown[]>, values: unknown[], batchSize: number) => {
      const batch = select.all(...values, batchSize) as { id: string; state: string }[];
      if (batch.length > 0) this.deleteDoomed.run(JSON.stringify(batch.map((row) => row.id)));
      return batch;
    }).immediate;

    this.group = new GroupCommit(db, retry);
  }

  /**
   * Opens a `file:` DATABASE_URL the way lib/db/client.ts does for Prisma.
   * The store then owns the handle: `close()` closes it.
   */
  static open(url: string, options: { checkpointInBackground?: boolean } = {}): SqliteTicketStore {
    if (engineOf(url) !== "sqlite") throw new Error("SqliteTicketStore.open needs a file: URL");
    // No busy timeout: better-sqlite3 would wait for a lock synchronously,
    // and the event loop with it. Another connection of this process —
    // Prisma's, inside a transaction that awaits between its statements —
    // could then never finish and release the lock. SQLITE_BUSY comes back at
    // once instead, and the store waits for the lock asynchronously (retry).
    const db = new Database(sqlitePath(url), { timeout: 0 });
    db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode syncs at checkpoints, not at every commit. A commit
    // is in the WAL file (the OS page cache) when the statement returns, so
    // it survives the process crashing or being killed; only an operating
    // system crash or power loss can lose the last transactions — never
    // corrupt the database. For one-time tickets that is the right trade: a
    // lost issue means a link that does not work and a fresh one is asked
    // for; FULL would cost an fsync per ticket.
    db.pragma("synchronous = NORMAL");
    const store = new SqliteTicketStore(db);
    // The WAL's checkpoints off the event loop (lib/db/wal-checkpointer.ts).
    if (options.checkpointInBackground) store.checkpointer = checkpointInBackground(db, sqlitePath(url));
    return store;
  }

  /**
   * The UPDATE of `spendLive`, prepared once per shape: by hash or by id,
   * which parts of the scope, which columns it returns.
   */
  private spendLiveStatement(byHash: boolean, scope: SpendScope, returning: Returning): Database.Statement<unknown[]> {
    const shape = `spend:${byHash ? "hash" : "id"}:${scopeShape(scope)}:${returning}`;
    let statement = this.statements.get(shape);
    if (!statement) {
      const within = compileScope(scope, SQLITE, 1);
      const conditions = [byHash ? `"tokenHash" = ?` : `"id" = ?`, `("usesLeft" IS NULL OR "usesLeft" > 0)`, this.live.sql, ...within.sql];
      // As spendLimited, with the scope in the WHERE.
      statement = this.db.prepare<unknown[]>(
        `UPDATE "tickets" SET ${spendAssignments("?", "?", "?")}
         WHERE ${conditions.join(" AND ")} RETURNING ${returning === "record" ? TICKET_COLUMN_LIST : SPENT_USE_COLUMNS}`,
      );
      this.statements.set(shape, statement);
    }
    return statement;
  }

  /** The prepared statement for this SQL text, prepared once. */
  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the database handle (the caller's, when it was passed to the constructor) and stops the checkpoints' worker. */
  async close(): Promise<void> {
    this.db.close();
    await this.checkpointer?.stop();
  }

  async create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null = null) {
    // Without a limit there is always a place: never null.
    return (await this.group.run(() => this.createTx(ticket, supersede, actor, mail, null)))!;
  }

  async createWithinLimit(ticket: NewTicketRecord & { projectId: string }, actor: Actor, maxLive: number) {
    return (await this.group.run(() => this.createTx(ticket, null, actor, null, maxLive)))?.record ?? null;
  }

  async findByHash(tokenHash: string) {
    const row = await retry(() => this.selectByHash.get(tokenHash));
    return row ? toRecord(row) : null;
  }

  async findById(id: string) {
    const row = await retry(() => this.selectById.get(id));
    return row ? toRecord(row) : null;
  }

  async spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent) {
    return this.group.run(() => this.spendTx(id, expectedUsesLeft, now, actor, used ?? null));
  }

  async spendLive(key: SpendKey, scope: SpendScope, now: Date, actor: Actor) {
    const row = await this.group.run(() => this.spendLiveTx<TicketRow>(key, scope, now, actor, "record"));
    return row && toRecord(row);
  }

  async spendLiveBrief(key: SpendKey, scope: SpendScope, now: Date, actor: Actor): Promise<SpentUse | null> {
    const row = await this.group.run(() => this.spendLiveTx<SpentUseRow>(key, scope, now, actor, "brief"));
    return row && { id: row.id, usesLeft: row.usesLeft, payload: row.payload };
  }

  async end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events: NewTicketEvent[] = []) {
    const at = toSql(now);
    return retry(() => this.endTx(id, state, reason, at, events));
  }

  async endAll(where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">) {
    return retry(() => this.endAllTx(where, now, ending, event));
  }

  async recordOpened(id: string, event: NewTicketEvent) {
    await this.group.run(() => this.recordOpenedTx(id, event));
  }

  async addEvent(event: NewTicketEvent) {
    await retry(() => this.insertEventIfTicket.run(orderedId(), event.kind, toSql(event.at), event.ip, event.userAgent, event.detail, event.ticketId));
  }

  async events(ticketId: string) {
    return (await retry(() => this.selectEvents.all(ticketId))).map(toEvent);
  }

  async delete(id: string) {
    // Events go with the ticket (ON DELETE CASCADE).
    return (await retry(() => this.deleteOne.run(id))).changes === 1;
  }

  async cleanup(where: Condition, now: Date, batchSize: number, maxBatches = Infinity): Promise<CleanupReport> {
    const report: CleanupReport = { removed: 0, byState: {} };
    const rule = compile(where);
    const select = this.statement(`SELECT "id", "state" FROM "tickets" WHERE ${rule.sql} LIMIT ?`);
    const values = rule.values({ now });
    // Each batch is its own short write transaction, and the event loop is
    // given back between batches, so ticket use never waits long behind
    // clean-up, in this process or another.
    for (let batches = 1; ; batches++) {
      const batch = await retry(() => this.cleanupBatchTx(select, values, batchSize));
      report.removed += batch.length;
      for (const row of batch) report.byState[row.state as TicketState] = (report.byState[row.state as TicketState] ?? 0) + 1;
      if (batch.length === 0 || batch.length < batchSize || batches >= maxBatches) return report;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async list(where: Condition, now: Date, limit: number) {
    const rule = compile(where);
    const select = this.statement(`${TICKET_SELECT} WHERE ${rule.sql} ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`);
    const values = [...rule.values({ now }), limit];
    return ((await retry(() => select.all(...values))) as TicketRow[]).map(toRecord);
  }

  async count(where: Condition, now: Date) {
    const rule = compile(where);
    const select = this.statement(`SELECT COUNT(*) AS "n" FROM "tickets" WHERE ${rule.sql}`);
    const values = rule.values({ now });
    return ((await retry(() => select.get(...values))) as { n: number }).n;
  }
}
