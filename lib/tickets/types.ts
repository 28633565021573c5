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

export const EVENT_KINDS = ["issued", "opened", "used", "refused", "expired", "revoked", "superseded"] as const;
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

/**
 * Persistence for tickets. Implementations: the in-memory store (tests, the
 * reference semantics) and the Prisma store (SQLite, PostgreSQL).
 */
export interface TicketStore {
  /**
   * Inserts the ticket with its "issued" event. With `supersede`, the same
   * transaction marks the owner's earlier open tickets of that type as
   * superseded by the new one (each with a "superseded" event).
   */
  create(ticket: NewTicketRecord, supersede: SupersedeScope | null, actor: Actor, mail?: OutboxMessage | null): Promise<{ record: TicketRecord; superseded: string[]; mailId: string | null }>;
  /**
   * Inserts an API ticket with its "issued" event if its project holds fewer
   * than `maxLive` live tickets by the project's counter (docs/decisions/0013),
   * taking one place in the same transaction. Null, and nothing written, when full.
   */
  createWithinLimit(ticket: NewTicketRecord & { projectId: string }, actor: Actor, maxLive: number): Promise<TicketRecord | null>;
  findByHash(tokenHash: string): Promise<TicketRecord | null>;
  findById(id: string): Promise<TicketRecord | null>;
  /**
   * Spends one use in a single conditional write: it succeeds only while the
   * ticket is open, unexpired at `now`, and has exactly `expectedUsesLeft`
   * uses left (null = unlimited). The last use closes the ticket. Returns
   * false when any condition no longer holds (someone else got there first).
   * `used` (the core always passes it) is recorded in the same transaction:
   * a use is spent with its event or not at all.
   */
  spend(id: string, expectedUsesLeft: number | null, now: Date, actor: Actor, used?: NewTicketEvent): Promise<boolean>;
  /**
   * Moves a still-open ticket to a final state and records `events` in the
   * same transaction. Returns false (and records nothing) if it was no longer open.
   */
  end(id: string, state: Exclude<TicketState, "open" | "closed">, reason: string | null, now: Date, events?: NewTicketEvent[]): Promise<boolean>;
  /** Counts a look that did not use the ticket and records its "opened" event. */
  recordOpened(id: string, event: NewTicketEvent): Promise<void>;
  addEvent(event: NewTicketEvent): Promise<void>;
  events(ticketId: string): Promise<TicketEventRecord[]>;
  delete(id: string): Promise<boolean>;
  /**
   * Deletes, in batches, tickets that ended (or expired unopened) before
   * `before`, with their events; at most `maxBatches` batches (default: until
   * none is left).
   */
  cleanup(before: Date, batchSize: number, maxBatches?: number): Promise<CleanupReport>;
  list(filter: TicketFilter, now: Date, limit: number, cursor: { createdAt: Date; id: string } | null): Promise<TicketRecord[]>;
}
