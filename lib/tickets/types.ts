// The vocabulary of the ticket core. Nothing here knows about Next.js or Prisma.

/** What a ticket is for (Bugzilla::Token's token types, plus the API hand-over). */
export const TICKET_TYPES = ["login", "password_reset", "new_account", "email_change_new", "email_change_old", "api"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/**
 * The state kept in the database. "expired" is also *derived*: an open ticket
 * whose expiry has passed is reported as expired before anyone writes it down.
 */
export const TICKET_STATES = ["open", "closed", "expired", "revoked", "superseded"] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/**
 * What happened to a ticket. "opened_elsewhere": looked at in a browser that
 * did not ask for it (a mail scanner, or the person's other device);
 * "approved": that other device typed the asking tab's number;
 * "wrong_number": it typed another one (decision 15).
 */
export const EVENT_KINDS = ["issued", "opened", "opened_elsewhere", "approved", "wrong_number", "used", "refused", "expired", "revoked", "superseded"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * A mail that carries a ticket, sealed by its caller (lib/mail/outbox.ts).
 * The store queues it in the transaction that creates the ticket: either
 * both exist or neither does, so a crash can never leave a live ticket whose
 * mail was never queued, or a queued mail for a ticket that does not exist.
 */
export interface OutboxMessage {
  recipient: string;
  template: string;
  sealed: string;
}

/** Who did something, as far as the server can tell. */
export interface Actor {
  ip?: string | null;
  userAgent?: string | null;
}

export interface Clock {
  now(): Date;
}

/** A ticket row as the store keeps it. */
export interface TicketRecord {
  id: string;
  tokenHash: string;
  type: TicketType;
  email: string | null;
  userId: string | null;
  projectId: string | null;
  domain: string;
  data: string | null;
  /** JSON text, or null. */
  payload: string | null;
  maxUses: number | null;
  usesLeft: number | null;
  useCount: number;
  openCount: number;
  expiresAt: Date | null;
  state: TicketState;
  reason: string | null;
  supersededById: string | null;
  requestedFromIp: string | null;
  requestedFromUa: string | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  lastUsedUa: string | null;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewTicketRecord = Omit<TicketRecord, "id" | "useCount" | "openCount" | "reason" | "supersededById" | "lastUsedAt" | "lastUsedIp" | "lastUsedUa" | "endedAt" | "updatedAt" | "state">;

export interface TicketEventRecord {
  id: string;
  ticketId: string;
  kind: EventKind;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

export type NewTicketEvent = Omit<TicketEventRecord, "id">;

/** The columns a rule (lib/tickets/rules.ts) may test. */
export type RuleColumn = "id" | "state" | "type" | "email" | "userId" | "projectId" | "domain" | "expiresAt" | "endedAt" | "createdAt";

/** A value known only when the rule is applied: the core's "now". */
export interface RuleParam {
  param: "now";
}

export interface RuleParams {
  now: Date;
}

/**
 * A condition on a ticket row. Comparisons follow SQL: a comparison with a
 * null column is false, so `<>` is only used on columns that are never null.
 */
export type Condition =
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { column: RuleColumn; is: "=" | "<>" | "<" | "<=" | ">" | ">="; value: string | Date | RuleParam }
  | { column: RuleColumn; is: "null" }
  /** The column holds a value: also what lets a store use an index that leaves out nulls. */
  | { column: RuleColumn; is: "notnull" }
  /** The address contains this lower-case text; `%` and `_` are plain characters. */
  | { column: "email"; is: "containing"; value: string };

/** Which earlier tickets a new one replaces: the same owner's open tickets of the same type. */
export interface SupersedeScope {
  email: string | null;
  userId: string | null;
  type: TicketType;
  domain: string;
}

export interface TicketFilter {
  /** Effective state: "expired" includes open tickets past their expiry, "open" excludes them. */
  state?: TicketState;
  type?: TicketType;
  /** Exact, normalised address. */
  email?: string;
  /** Substring of the address (admin search). */
  emailContains?: string;
  domain?: string;
  projectId?: string;
  userId?: string;
  /** Issued to this person: by address or by account. */
  owner?: { email?: string | null; userId?: string | null };
  createdFrom?: Date;
  createdTo?: Date;
}

export interface Page {
  /** 1..200, default 50. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface CleanupReport {
  removed: number;
  byState: Partial<Record<TicketState, number>>;
}

/** How a use names its ticket: by the hash of its raw value, or by id (a typed code). */
export type SpendKey = { tokenHash: string } | { id: string };

/** What `spendLiveBrief` returns of a ticket it spent a use of. */
export type SpentUse = Pick<TicketRecord, "id" | "usesLeft" | "payload">;

/** What a use may spend: tickets of this domain, this project (null: none), these types; unset means any. */
export interface SpendScope {
  domain?: string;
  projectId?: string | null;
  types?: readonly TicketType[];
}

/** A way a ticket ends for a reason given by someone: revoked, or superseded by a newer one. */
export type TicketEnding = { state: "revoked"; reason: string } | { state: "superseded"; reason: string; supersededById: string };

/**
 * Persistence for tickets: the raw better-sqlite3 store on SQLite and the
 * Prisma store (lib/db), held to one contract by tests/db/ticket-store.test.ts.
 * The rules of which rows an operation touches come from the core as
 * Conditions (lib/tickets/rules.ts); a store compiles them, never restates them.
 */
export interface TicketStore {
  /**
   * Inserts the ticket (its row is its "issued" event: lib/tickets/history.ts).
   * With `supersede`, the same transaction ends the tickets
   * `supersededBy(supersede, newId)` selects as superseded by the new one
   * (each with a "superseded" event).
   */
  create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail?: OutboxMessage | null): Promise<{ record: TicketRecord; superseded: string[]; mailId: string | null }>;
  /**
   * Inserts an API ticket if its project holds fewer
   * than `maxLive` live tickets by the project's counter (docs/decisions/0013),
   * taking one place in the same transaction. Null, and nothing written, when full.
   */
  createWithinLimit(ticket: NewTicketRecord & { projectId: string }, actor: Actor, maxLive: number): Promise<TicketRecord | null>;
  /**
   * The hot path of a use: spends one use of the ticket `key` names if it is
   * live at `now`, has a use left and lies within `scope`, and returns the
   * ticket after the use — one statement where the engine allows, with the
   * "used" event of a ticket of several uses in the same transaction. Null
   * when it spent nothing (unknown, used up, expired, ended, out of scope):
   * the core then reads the ticket and says why.
   */
  spendLive(key: SpendKey, scope: SpendScope, now: Date, actor: Actor): Promise<TicketRecord | null>;
  /**
   * As `spendLive`, returning only what a use leaves that the API answers:
   * the ticket's id, uses left and payload. On the raw stores the statement
   * returns these columns alone, which saves reading and converting the row.
   */
  spendLiveBrief(key: SpendKey, scope: SpendScope, now: Date, actor: Actor): Promise<SpentUse | null>;
  findByHash(tokenHash: string): Promise<TicketRecord | null>;
  findById(id: string): Promise<TicketRecord | null>;
  /**
   * Spends one use in a single conditional write: it succeeds only while the
   * ticket is open, unexpired at `now`, and has exactly `expectedUsesLeft`
   * uses left (null = unlimited). The last use closes the ticket. Returns
   * false when any condition no longer holds (someone else got there first).
   * `used` (the core passes it for a ticket of several uses; one of one use
   * is recorded by its row) is recorded in the same transaction: a use is
   * spent with its event or not at all.
   */
  spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent): Promise<boolean>;
  /**
   * Moves a still-open ticket to a final state and records `events` in the
   * same transaction. Returns false (and records nothing) if it was no longer open.
   */
  end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events?: NewTicketEvent[]): Promise<boolean>;
  /** Counts a look that did not use the ticket and records its "opened" event. */
  recordOpened(id: string, event: NewTicketEvent): Promise<void>;
  /**
   * Ends every open ticket `where` selects (`now` binds the rule's "now") and
   * records `event` for each, in one transaction. Returns the ids it ended.
   */
  endAll(where: Condition, now: Date, ending: TicketEnding, event: Omit<NewTicketEvent, "ticketId">): Promise<string[]>;
  addEvent(event: NewTicketEvent): Promise<void>;
  events(ticketId: string): Promise<TicketEventRecord[]>;
  delete(id: string): Promise<boolean>;
  /**
   * Deletes, in batches, the tickets `where` selects at `now`, with their events; at
   * most `maxBatches` batches (default: until none is left). Counts them by
   * their stored state.
   */
  cleanup(where: Condition, now: Date, batchSize: number, maxBatches?: number): Promise<CleanupReport>;
  /** The tickets `where` selects, newest first (createdAt, then id, descending). */
  list(where: Condition, now: Date, limit: number): Promise<TicketRecord[]>;
  count(where: Condition, now: Date): Promise<number>;
}
