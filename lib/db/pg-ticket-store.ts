// The ticket store on PostgreSQL for the hot path: issuing an API ticket and
// spending a use are each one statement on node-postgres, with named prepared
// statements. Through Prisma the same use was three round trips (find, update,
// event), each its own implicit transaction plus Prisma's per-query compile
// and adapter cost; an API ticket and its project's place were an interactive
// transaction (docs/decisions/0016).
//
// Everything else — the person's path with its mail and supersede, revoking,
// clean-up, lists — goes through the Prisma store on the same database: it is
// not hot, and Prisma keeps it short. Both write the same rows the same way:
// timestamps are `timestamp(3)` holding UTC, as Prisma writes them.
import pg from "pg";

import { LIVE } from "@/lib/tickets/rules";
import { issuedRecord } from "@/lib/tickets/spend";
import type {
  Actor,
  Condition,
  NewTicketEvent,
  NewTicketRecord,
  OutboxMessage,
  SpendKey,
  SpendScope,
  SpentUse,
  SupersedeScope,
  TicketEnding,
  TicketRecord,
  TicketState,
  TicketStore,
} from "@/lib/tickets/types";

import type { Db, DbOptions } from "./client";
import { orderedId } from "./ids";
import { PgBatch } from "./pg-batch";
import { PrismaTicketStore } from "./prisma-ticket-store";
import { TICKET_COLUMN_LIST } from "./ticket-columns";
import { type SqlDialect, compileRule, compileScope, scopeShape, spendAssignments } from "./sql-rules";

const TIMESTAMP_OID = 1114;

/**
 * `timestamp without time zone` holds UTC (Prisma's convention): written as
 * ISO text without a zone, read back as UTC. node-postgres would otherwise
 * write and read it in the process's local time zone.
 */
const utc = (date: Date) => date.toISOString().slice(0, -1);
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

const POSTGRES: SqlDialect = {
  placeholder: (n) => `$${n}`,
  date: utc,
  containing: (column, placeholder) => `strpos(lower(${column}), ${placeholder}) > 0`,
  // One array parameter, however many values: the prepared statement's text stays the same.
  oneOf: (column, values, bind) => `${column} = ANY(${bind([...values])}::text[])`,
};


/** The columns an issue writes, in the order of its values ($1 …). */
const INSERTED = ["id", "tokenHash", "type", "email", "userId", "projectId", "domain", "data", "payload", "maxUses", "usesLeft", "expiresAt", "requestedFromIp", "requestedFromUa", "createdAt", "updatedAt"] as const;
const INSERT_COLUMNS = INSERTED.map((column) => `"${column}"`).join(", ");
/** Each inserted column's type, for a batch's arrays (one per column). */
const INSERTED_TYPE: Record<(typeof INSERTED)[number], string> = {
  id: "text",
  tokenHash: "text",
  type: "text",
  email: "text",
  userId: "text",
  projectId: "text",
  domain: "text",
  data: "text",
  payload: "text",
  maxUses: "int4",
  usesLeft: "int4",
  expiresAt: "timestamp(3)",
  requestedFromIp: "text",
  requestedFromUa: "text",
  createdAt: "timestamp(3)",
  updatedAt: "timestamp(3)",
};
const INSERT_VALUES = INSERTED.map((_, i) => `$${i + 1}`).join(", ");

function insertValues(id: string, ticket: NewTicketRecord): unknown[] {
  const at = utc(ticket.createdAt);
  return [
    id,
    ticket.tokenHash,
    ticket.type,
    ticket.email,
    ticket.userId,
    ticket.projectId,
    ticket.domain,
    ticket.data,
    ticket.payload,
    ticket.maxUses,
    ticket.usesLeft,
    ticket.expiresAt && utc(ticket.expiresAt),
    ticket.requestedFromIp,
    ticket.requestedFromUa,
    at,
    at,
  ];
}

/** The statements of a use, one per shape (by hash or id, which scope, which columns back): name → text. */
const spends = new Map<string, string>();

/** "Live" in a use's statement: its placeholders follow the five fixed values ($6 …). */
const LIVE_IN_SPEND = compileRule(LIVE, POSTGRES, 6);

/** What a use's statement returns: the whole row, or only what `spendLiveBrief` answers (and `maxUses`, which the event needs). */
const RETURNING = { record: TICKET_COLUMN_LIST, brief: `"id", "usesLeft", "payload", "maxUses"` } as const;

/**
 * The statement that spends one use of the live ticket `key` within `scope`,
 * as a named prepared statement: its name and text depend only on the shape
 * of the use, its values on the rest.
 */
export function spendStatement(key: SpendKey, scope: SpendScope, now: Date, actor: Actor, returning: keyof typeof RETURNING = "record"): { name: string; text: string; values: unknown[] } {
  const byHash = "tokenHash" in key;
  // $1 now, $2 ip, $3 user agent, $4 the event's id, $5 the key; then the rule's and the scope's values.
  const values: unknown[] = [utc(now), actor.ip ?? null, actor.userAgent ?? null, orderedId(), byHash ? key.tokenHash : key.id, ...LIVE_IN_SPEND.values({ now })];
  const within = compileScope(scope, POSTGRES, values.length + 1);
  values.push(...within.values);
  const name = `tg_spend_${byHash ? "hash" : "id"}_${scopeShape(scope)}${returning === "brief" ? "_brief" : ""}`;
  let text = spends.get(name);
  if (!text) {
    const conditions = [byHash ? `"tokenHash" = $5` : `"id" = $5`, `("usesLeft" IS NULL OR "usesLeft" > 0)`, LIVE_IN_SPEND.sql, ...within.sql];
    text = `WITH "spent" AS (
        UPDATE "tickets" SET ${spendAssignments("$1::timestamp(3)", "$2", "$3")}
        WHERE ${conditions.join(" AND ")}
        RETURNING ${RETURNING[returning]}
      ), "used" AS (
        INSERT INTO "ticket_events" ("id", "ticketId", "kind", "at", "ip", "userAgent")
        SELECT $4, "id", 'used', $1::timestamp(3), $2, $3 FROM "spent" WHERE "maxUses" IS DISTINCT FROM 1
      )
      SELECT * FROM "spent"`;
    spends.set(name, text);
  }
  return { name, text, values };
}

/**
 * The statement that takes `count` places of a project and inserts as many
 * API tickets, each column's values as one array: all of them if the project
 * has room for all, else none (decision 13's counter, as createWithinLimit).
 */
const INSERT_MANY_WITHIN_LIMIT = {
  name: "tg_tickets_insert_many_within_limit",
  text: `WITH "place" AS (
      UPDATE "api_projects" SET "ticketsIssued" = "ticketsIssued" + $${INSERTED.length + 1}
      WHERE "id" = $${INSERTED.length + 2} AND "ticketsIssued" - "ticketsEnded" + $${INSERTED.length + 1} <= $${INSERTED.length + 3} RETURNING "id"
    )
    INSERT INTO "tickets" (${INSERT_COLUMNS})
    SELECT "new".* FROM unnest(${INSERTED.map((column, i) => `$${i + 1}::${INSERTED_TYPE[column]}[]`).join(", ")}) AS "new", "place"`,
};

/** A brief use waiting for its batch: the ticket's hash, and when and by whom it is used. */
interface AskedUse {
  tokenHash: string;
  scope: SpendScope;
  now: Date;
  actor: Actor;
}

/** The statements of a batch of brief uses by hash, one per shape of scope: name → text. */
const briefSpends = new Map<string, string>();

/**
 * Rules in a batch: each value is a column of "asked" (the same in every
 * row), not a parameter, and a use's time is its own row's. Every condition
 * is then a join condition, so the only way the planner has to a ticket is
 * the hash's unique index — whatever its statistics say about state or
 * project (tests/db/pg-plans.test.ts builds the worst case).
 */
const IN_BATCH: SqlDialect = {
  ...POSTGRES,
  placeholder: (n) => `"asked"."v${n}"`,
  oneOf: (column, values, bind) => (values.length === 0 ? "0 = 1" : `${column} IN (${values.map(bind).join(", ")})`),
};
const LIVE_IN_BATCH = compileRule(LIVE, IN_BATCH, 1, { now: `"asked"."at"` });

/**
 * The statement that spends one use of each of several tickets by hash, each
 * at its own time and by its own actor, within one scope: as `spendStatement`
 * for each, in one statement. A ticket asked for twice is spent once: one of
 * its askers gets it, the other nothing (the core then says why). The rows
 * are found through the hash's unique index, in the hashes' order, so two
 * batches lock shared tickets in the same order.
 */
export function briefSpendManyStatement(asked: readonly AskedUse[]): { name: string; text: string; values: unknown[] } {
  const { scope } = asked[0]!;
  const live = LIVE_IN_BATCH.values({ now: asked[0]!.now });
  const within = compileScope(scope, IN_BATCH, live.length + 1);
  const ruleValues = [...live, ...within.values];
  const values: unknown[] = [
    asked.map((use) => use.tokenHash),
    asked.map((use) => utc(use.now)),
    asked.map((use) => use.actor.ip ?? null),
    asked.map((use) => use.actor.userAgent ?? null),
    asked.map(() => orderedId()),
    // Each value of the rules, once per row.
    ...ruleValues.map((value) => asked.map(() => value)),
  ];
  const name = `tg_spend_many_brief_${scopeShape(scope)}`;
  let text = briefSpends.get(name);
  if (!text) {
    const ruleColumns = ruleValues.map((_, i) => `$${i + 6}::text[]`);
    const ruleNames = ruleValues.map((_, i) => `"v${i + 1}"`);
    const conditions = [`"tokenHash" = ANY($1::text[])`, `"tokenHash" = "asked"."key"`, `("usesLeft" IS NULL OR "usesLeft" > 0)`, LIVE_IN_BATCH.sql, ...within.sql];
    text = `WITH "asked" AS (
        SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[]${ruleColumns.map((c) => `, ${c}`).join("")})
          WITH ORDINALITY AS "asked"("key", "at", "ip", "ua", "eventId"${ruleNames.map((c) => `, ${c}`).join("")}, "n")
      ), "spent" AS (
        UPDATE "tickets" SET ${spendAssignments(`"asked"."at"`, `"asked"."ip"`, `"asked"."ua"`)}
        FROM "asked"
        WHERE ${conditions.join(" AND ")}
        RETURNING "asked"."n", "asked"."eventId", "asked"."at", "asked"."ip", "asked"."ua", "tickets"."id", "tickets"."usesLeft", "tickets"."payload", "tickets"."maxUses"
      ), "used" AS (
        INSERT INTO "ticket_events" ("id", "ticketId", "kind", "at", "ip", "userAgent")
        SELECT "eventId", "id", 'used', "at", "ip", "ua" FROM "spent" WHERE "maxUses" IS DISTINCT FROM 1
      )
      SELECT "n"::int AS "n", "id", "usesLeft", "payload" FROM "spent"`;
    briefSpends.set(name, text);
  }
  return { name, text, values };
}

/** A create within its project's limit waiting for its batch. */
interface AskedCreate {
  ticket: NewTicketRecord & { projectId: string };
  maxLive: number;
}

export class PgTicketStore implements TicketStore {
  private readonly prisma: PrismaTicketStore;
  /** The API's brief uses waiting to go together, by scope. */
  private readonly briefUses = new Map<string, PgBatch<AskedUse, SpentUse | null>>();
  /** The API's creates waiting to go together, by project and limit. */
  private readonly creates = new Map<string, PgBatch<AskedCreate, TicketRecord | null>>();

  /**
   * `pool` spends uses (and reads); `issuing` inserts API tickets, and may
   * commit without waiting for the WAL flush (see `open`).
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly issuing: pg.Pool,
    db: Db,
  ) {
    this.prisma = new PrismaTicketStore(db);
  }

  /**
   * Pools on a `postgresql://` DATABASE_URL beside the Prisma client `db`
   * (same schema); the store owns them. Connections open on demand and close
   * after 10 s idle.
   *
   * The issuing pool commits with `synchronous_commit = off`: every create of
   * a project updates the project's row (its live-ticket counter, decision
   * 13), so creates queue on that row lock, each for its commit's WAL flush;
   * without the wait they no longer do. The trade is decision 9's on SQLite:
   * a crash of the database server may lose the last fraction of a second of
   * issued tickets — each with its place, so never the limit — which then
   * answer as unknown and are asked for again. Uses stay fully durable: a use
   * once answered is never undone, so a ticket is never spent twice.
   */
  static open(url: string, db: Db, options: DbOptions = {}): PgTicketStore {
    const settings = (extra: string) => ({
      connectionString: url,
      max: options.poolSize ?? 10,
      idleTimeoutMillis: 10_000,
      types,
      options: [options.schema ? `-c search_path="${options.schema}"` : "", extra].filter(Boolean).join(" "),
    });
    const pool = new pg.Pool(settings(""));
    const issuing = new pg.Pool(settings("-c synchronous_commit=off"));
    // An idle client losing its connection (a restarted server) must not crash the process; the next query reconnects.
    for (const each of [pool, issuing]) each.on("error", () => {});
    return new PgTicketStore(pool, issuing, db);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.issuing.end()]);
  }

  private async one(name: string, text: string, values: unknown[], pool = this.pool): Promise<TicketRecord | null> {
    const result = await pool.query<TicketRecord>({ name, text, values });
    return result.rows[0] ?? null;
  }

  async create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail: OutboxMessage | null = null) {
    // The person's path (a mail to queue, older links to supersede) is a transaction of several writes: Prisma's.
    if (supersede || mail) return this.prisma.create(ticket, supersede, actor, mail);
    const id = orderedId();
    await this.issuing.query({ name: "tg_ticket_insert", text: `INSERT INTO "tickets" (${INSERT_COLUMNS}) VALUES (${INSERT_VALUES})`, values: insertValues(id, ticket) });
    return { record: issuedRecord(id, ticket), superseded: [], mailId: null };
  }

  /**
   * The ticket and one of its project's places in one statement: the insert
   * happens only if the place was taken (docs/decisions/0013). Creates that
   * arrive together for one project go in one statement (lib/db/pg-batch.ts).
   */
  async createWithinLimit(ticket: NewTicketRecord & { projectId: string }, _actor: Actor, maxLive: number) {
    const key = `${ticket.projectId}\u0000${maxLive}`;
    let batch = this.creates.get(key);
    if (!batch) {
      batch = new PgBatch(
        (asked) => this.createManyWithinLimit(asked),
        (one) => this.createOneWithinLimit(one),
      );
      this.creates.set(key, batch);
    }
    return batch.run({ ticket, maxLive });
  }

  private async createOneWithinLimit({ ticket, maxLive }: AskedCreate): Promise<TicketRecord | null> {
    const n = INSERTED.length;
    const id = orderedId();
    const { rowCount } = await this.issuing.query({
      name: "tg_ticket_insert_within_limit",
      text: `WITH "place" AS (
         UPDATE "api_projects" SET "ticketsIssued" = "ticketsIssued" + 1 WHERE "id" = $${n + 1} AND "ticketsIssued" - "ticketsEnded" < $${n + 2} RETURNING "id"
       )
       INSERT INTO "tickets" (${INSERT_COLUMNS}) SELECT ${INSERT_VALUES} FROM "place"`,
      values: [...insertValues(id, ticket), ticket.projectId, maxLive],
    });
    return rowCount === 1 ? issuedRecord(id, ticket) : null;
  }

  /** Several creates of one project: all in one statement if it has room for all, else each alone (some may then be refused). */
  private async createManyWithinLimit(asked: AskedCreate[]): Promise<(TicketRecord | null)[]> {
    const ids = asked.map(() => orderedId());
    const rows = asked.map(({ ticket }, i) => insertValues(ids[i]!, ticket));
    const columns = INSERTED.map((_, c) => rows.map((row) => row[c]));
    const { ticket, maxLive } = asked[0]!;
    const { rowCount } = await this.issuing.query({ ...INSERT_MANY_WITHIN_LIMIT, values: [...columns, asked.length, ticket.projectId, maxLive] });
    if (rowCount === asked.length) return asked.map((each, i) => issuedRecord(ids[i]!, each.ticket));
    return Promise.all(asked.map((each) => this.createOneWithinLimit(each)));
  }

  /**
   * One statement: the conditional UPDATE spends the use (PostgreSQL re-checks
   * its WHERE on the row it waited for, so parallel uses of the last use get
   * one success), and the "used" event of a ticket of several uses is written
   * by the same statement (lib/tickets/history.ts).
   */
  async spendLive(key: SpendKey, scope: SpendScope, now: Date, actor: Actor) {
    const { name, text, values } = spendStatement(key, scope, now, actor);
    return this.one(name, text, values);
  }

  /**
   * As `spendLive`, returning only the id, uses left and payload. Uses by
   * hash within one scope that arrive together go in one statement
   * (lib/db/pg-batch.ts).
   */
  async spendLiveBrief(key: SpendKey, scope: SpendScope, now: Date, actor: Actor): Promise<SpentUse | null> {
    if (!("tokenHash" in key)) return this.spendOneBrief(key, scope, now, actor);
    const batchKey = JSON.stringify([scope.domain, scope.projectId, scope.types]);
    let batch = this.briefUses.get(batchKey);
    if (!batch) {
      batch = new PgBatch(
        (asked) => this.spendManyBrief(asked),
        (one) => this.spendOneBrief({ tokenHash: one.tokenHash }, one.scope, one.now, one.actor),
      );
      this.briefUses.set(batchKey, batch);
    }
    return batch.run({ tokenHash: key.tokenHash, scope, now, actor });
  }

  private async spendOneBrief(key: SpendKey, scope: SpendScope, now: Date, actor: Actor): Promise<SpentUse | null> {
    const { name, text, values } = spendStatement(key, scope, now, actor, "brief");
    const row = (await this.pool.query<SpentUse>({ name, text, values })).rows[0];
    return row ? { id: row.id, usesLeft: row.usesLeft, payload: row.payload } : null;
  }

  private async spendManyBrief(asked: AskedUse[]): Promise<(SpentUse | null)[]> {
    // In hash order, the order the statement finds (and locks) the rows in.
    const order = asked.map((_, i) => i).sort((a, b) => (asked[a]!.tokenHash < asked[b]!.tokenHash ? -1 : asked[a]!.tokenHash > asked[b]!.tokenHash ? 1 : 0));
    const { name, text, values } = briefSpendManyStatement(order.map((i) => asked[i]!));
    const { rows } = await this.pool.query<SpentUse & { n: number }>({ name, text, values });
    const results: (SpentUse | null)[] = asked.map(() => null);
    for (const row of rows) results[order[row.n - 1]!] = { id: row.id, usesLeft: row.usesLeft, payload: row.payload };
    return results;
  }

  findByHash(tokenHash: string) {
    return this.one("tg_ticket_by_hash", `SELECT ${TICKET_COLUMN_LIST} FROM "tickets" WHERE "tokenHash" = $1`, [tokenHash]);
  }

  findById(id: string) {
    return this.one("tg_ticket_by_id", `SELECT ${TICKET_COLUMN_LIST} FROM "tickets" WHERE "id" = $1`, [id]);
  }

  spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent) {
    return this.prisma.spend(id, expectedUsesLeft, now, actor, used);
  }

  end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events?: NewTicketEvent[]) {
    return this.prisma.end(id, state, reason, now, events);
  }

  recordOpened(id: string, event: NewTicketEvent) {
    return this.prisma.recordOpened(id, event);
  }

  endAll(where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">) {
    return this.prisma.endAll(where, now, ending, event);
  }

  /**
   * A refusal or a look on the raw pool (the losers of a race on one ticket
   * each write one). As on SQLite, an event for a ticket deleted meanwhile is
   * dropped rather than failing the caller on the foreign key.
   */
  async addEvent(event: NewTicketEvent) {
    await this.pool.query({
      name: "tg_event_if_ticket",
      text: `INSERT INTO "ticket_events" ("id", "ticketId", "kind", "at", "ip", "userAgent", "detail") SELECT $1, "id", $2, $3::timestamp(3), $4, $5, $6 FROM "tickets" WHERE "id" = $7`,
      values: [orderedId(), event.kind, utc(event.at), event.ip, event.userAgent, event.detail, event.ticketId],
    });
  }

  events(ticketId: string) {
    return this.prisma.events(ticketId);
  }

  delete(id: string) {
    return this.prisma.delete(id);
  }

  cleanup(where: Condition, now: Date, batchSize: number, maxBatches?: number) {
    return this.prisma.cleanup(where, now, batchSize, maxBatches);
  }

  list(where: Condition, now: Date, limit: number) {
    return this.prisma.list(where, now, limit);
  }

  count(where: Condition, now: Date) {
    return this.prisma.count(where, now);
  }
}
