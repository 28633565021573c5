// The ticket core: issue, peek, redeem, revoke, delete, clean up, read.
//
// It receives a store and a clock, so the pages, the /v1 API and the admin
// console share one implementation, and its tests run in milliseconds on the
// raw SQLite store in memory with a clock they control. Which rows an
// operation touches is a rule of rules.ts, which the stores compile.
import { decodeCursor, encodeCursor } from "@/lib/db/cursor";

import type { ActionPathRegistry } from "./action-paths";
import { type CancelNotifier, cancelOperations } from "./cancel";
import { rowRecordsUse, ticketHistory } from "./history";
import { spentCopy } from "./spend";
import { LIVE, dueForCleanup, effectiveState, listedAfter, matching, reportedStates } from "./rules";
import { generateTicket, hashTicket, isWellFormedTicket } from "./token";
import {
  type Actor,
  type CleanupReport,
  type Clock,
  type EventKind,
  type NewTicketEvent,
  type OutboxMessage,
  type Page,
  TICKET_TYPES,
  type SpendKey,
  type SpendScope,
  type TicketEventRecord,
  type TicketFilter,
  type TicketRecord,
  type TicketState,
  type TicketStore,
  type TicketType,
} from "./types";

export const systemClock: Clock = { now: () => new Date() };

/** Error codes of the core, declared once and reused by every caller. */
export const TICKET_ERRORS = {
  INVALID_TYPE: "unknown ticket type",
  INVALID_EMAIL: "the ticket needs one e-mail address",
  INVALID_ACTION: "the action is not a known relative path",
  INVALID_PAYLOAD: "the payload must be JSON",
  PAYLOAD_TOO_LARGE: "the payload is too large",
  INVALID_TTL: "ttl must be a whole number of seconds above 0, or null for no expiry",
  INVALID_USES: "uses must be a whole number above 0, or null for unlimited",
  INVALID_DOMAIN: "the domain must be a host name",
  NOT_FOUND: "no such ticket",
  NOT_OPEN: "the ticket is no longer open",
  LIMIT_REACHED: "the project holds its maximum of live tickets",
} as const;
export type TicketErrorCode = keyof typeof TICKET_ERRORS;

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: TicketErrorCode; message: string } };

function fail<T>(code: TicketErrorCode, detail?: string): Result<T> {
  return { ok: false, error: { code, message: detail ? `${TICKET_ERRORS[code]}: ${detail}` : TICKET_ERRORS[code] } };
}

export interface TicketServiceOptions {
  store: TicketStore;
  actionPaths: ActionPathRegistry;
  /** Default: the system clock. Tests inject their own. */
  clock?: Clock;
  /** Domain (tenant) of tickets issued without one. Default: "default". */
  defaultDomain?: string;
  /** Largest payload, in bytes of JSON text, unless a call says otherwise. Default: 4096. */
  maxPayloadBytes?: number;
  /** Tells a cancelled ticket's requester (cancel, redeemFor); lib/runtime passes the mail. */
  notifyCancelled?: CancelNotifier;
}

export interface IssueInput {
  type: TicketType;
  /** Normalised address the session will carry; required for every type but "api". */
  email?: string | null;
  userId?: string | null;
  projectId?: string | null;
  /** Default: the service's defaultDomain. */
  domain?: string;
  /** Relative action path from the registry (e.g. "subrequest/foo"), or null. */
  data?: string | null;
  /** Any JSON value, returned on use. */
  payload?: unknown;
  /** Seconds until expiry; null = never. */
  ttlSeconds: number | null;
  /** Number of uses; null = unlimited. */
  uses: number | null;
  requestedFrom?: Actor;
  /** Mark the owner's earlier open tickets of this type as superseded (OTOBO's "WrongLink"). Default: false. */
  supersede?: boolean;
  /** Overrides the service's maxPayloadBytes (API projects have their own limit). */
  maxPayloadBytes?: number;
  /**
   * An API project's limit: the ticket is issued only while `projectId`
   * holds fewer live tickets than this by the project's counter, checked in
   * the insert's transaction (docs/decisions/0013). Not with mail or supersede.
   */
  maxLiveTickets?: number;
  /**
   * The mail that carries the ticket, built from the raw value. It is queued
   * in the mail outbox in the same transaction as the ticket.
   */
  mail?: (ticket: string) => OutboxMessage;
}

/** What callers may see of a ticket: never the raw value, only a prefix of its hash. */
export interface TicketView {
  id: string;
  hashPrefix: string;
  type: TicketType;
  email: string | null;
  userId: string | null;
  projectId: string | null;
  domain: string;
  data: string | null;
  payload: unknown;
  maxUses: number | null;
  usesLeft: number | null;
  useCount: number;
  openCount: number;
  expiresAt: Date | null;
  /** The effective state: an open ticket past its expiry is "expired". */
  status: TicketState;
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

export type RedeemOutcome = "success" | "expired" | "closed" | "error";

/**
 * The answer to using a ticket, shaped like Sympa's get_one_time_ticket:
 * result, email, date, remote_addr, robot (domain), data, status — plus the
 * payload and uses left of Authen's tickets API.
 */
export interface RedeemResult {
  result: RedeemOutcome;
  /** Effective state after the attempt, or "unknown" for no (visible) ticket. */
  status: TicketState | "unknown";
  email: string | null;
  /** When the ticket last changed: used, ended, or issued. */
  date: Date | null;
  /** The address the ticket was requested from. */
  remoteAddr: string | null;
  domain: string | null;
  data: string | null;
  payload: unknown;
  usesLeft: number | null;
  /** The ticket (null when unknown). Present on refusals so pages can explain and offer a fresh link. */
  ticket: TicketView | null;
}

/** The answer to a use for a caller that needs only what it leaves (the /v1 API): `redeem`'s outcome, uses left and payload. */
export type BriefRedeemResult = Pick<RedeemResult, "result" | "usesLeft" | "payload">;

export interface UseOptions {
  actor?: Actor;
  /** When set, a ticket of another domain is answered as unknown. */
  domain?: string;
  /** When set (including null), a ticket of another project is answered as unknown. */
  projectId?: string | null;
  /** When set, a ticket of another type is refused. */
  types?: readonly TicketType[];
}

export type PeekResult = Pick<RedeemResult, "status" | "ticket">;

/** A ticket as a caller holds it: its raw value (from a link), or its id (a typed code, an approved request). */
export type TicketRef = { ticket: unknown } | { id: string };

export interface PeekOptions extends UseOptions {
  /** The server looking on the person's behalf (e.g. to send a fresh one): no "opened" is recorded. */
  quiet?: boolean;
  /** Whether the browser looking is not the one that asked: then the look is recorded as "opened_elsewhere". */
  elsewhere?: (ticket: TicketView) => Promise<boolean>;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const CLEANUP_BATCH = 500;

function ticketOperations(options: TicketServiceOptions) {
  const { store, actionPaths } = options;
  const clock = options.clock ?? systemClock;
  const defaultDomain = options.defaultDomain ?? "default";
  const defaultMaxPayload = options.maxPayloadBytes ?? 4096;

  const statusOf: (record: TicketRecord, now: Date) => TicketState = effectiveState;

  function view(record: TicketRecord, now = clock.now()): TicketView {
    const { tokenHash, state, payload, ...rest } = record;
    void state;
    return { ...rest, hashPrefix: tokenHash.slice(0, 8), payload: parsedPayload(payload), status: statusOf(record, now) };
  }

  /** A ticket's payload as the caller gave it: stored as JSON text, or null. */
  function parsedPayload(payload: string | null): unknown {
    return payload === null ? null : (JSON.parse(payload) as unknown);
  }

  function brief({ result, usesLeft, payload }: RedeemResult): BriefRedeemResult {
    return { result, usesLeft, payload };
  }

  /** Answers as if the ticket did not exist: nothing about it leaks. */
  function unknown(): RedeemResult {
    return { result: "error", status: "unknown", email: null, date: null, remoteAddr: null, domain: null, data: null, payload: null, usesLeft: null, ticket: null };
  }

  function answer(result: RedeemOutcome, record: TicketRecord, now: Date): RedeemResult {
    const ticketView = view(record, now);
    return {
      result,
      status: ticketView.status,
      email: record.email,
      date: record.lastUsedAt ?? record.endedAt ?? record.createdAt,
      remoteAddr: record.requestedFromIp,
      domain: record.domain,
      data: record.data,
      payload: ticketView.payload,
      usesLeft: record.usesLeft,
      ticket: ticketView,
    };
  }

  function visible(record: TicketRecord, opts: UseOptions): boolean {
    if (opts.domain !== undefined && record.domain !== opts.domain) return false;
    if (opts.projectId !== undefined && record.projectId !== opts.projectId) return false;
    return true;
  }

  /**
   * Records, once, that an open ticket was found past its expiry, with its
   * "expired" event and `also` in the same write. `noted` says whether this
   * call wrote them.
   */
  async function noteExpiry(record: TicketRecord, now: Date, also: NewTicketEvent[] = []): Promise<{ record: TicketRecord; noted: boolean }> {
    const expired: NewTicketEvent = { ticketId: record.id, kind: "expired", at: now, ip: null, userAgent: null, detail: null };
    if (record.state === "open" && statusOf(record, now) === "expired" && (await store.end(record.id, "expired", null, now, [expired, ...also]))) {
      return { record: { ...record, state: "expired", endedAt: now }, noted: true };
    }
    return { record, noted: false };
  }

  /**
   * The one place a use is spent. First in one statement, for a ticket that
   * is live and within the caller's scope (the common case, and the hot path
   * of the API); when that spends nothing: read, classify (and write down an
   * expiry or a refusal), compare-and-set, repeat on a lost race.
   */
  async function spend(key: SpendKey, find: () => Promise<TicketRecord | null>, opts: UseOptions): Promise<RedeemResult> {
    const at = clock.now();
    const spent = await store.spendLive(key, scopeOf(opts), at, opts.actor ?? {});
    return spent ? answer("success", spent, at) : classify(find, opts);
  }

  function scopeOf(opts: UseOptions): SpendScope {
    return { domain: opts.domain, projectId: opts.projectId, types: opts.types };
  }

  /**
   * A use that the one-statement spend did not make: read the ticket, say
   * why (writing down an expiry or a refusal), or spend it by a
   * compare-and-set, and read again on a lost race.
   */
  async function classify(find: () => Promise<TicketRecord | null>, opts: UseOptions): Promise<RedeemResult> {
    const actor = opts.actor ?? {};
    // Each lost race means another use succeeded, so this loop ends after at
    // most `usesLeft` rounds; the bound is a guard against a broken store.
    for (let round = 0; round < 10_000; round++) {
      const found = await find();
      if (!found || !visible(found, opts)) return unknown();
      const now = clock.now();
      const event = (kind: "refused" | "used", detail: string | null): NewTicketEvent => ({ ticketId: found.id, kind, at: now, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail });
      const refuse = async (outcome: RedeemOutcome, record: TicketRecord, detail: string) => {
        await store.addEvent(event("refused", detail));
        return answer(outcome, record, now);
      };
      if (opts.types && !opts.types.includes(found.type)) return refuse("error", found, `presented for another action (${opts.types.join(", ")})`);

      // An expiry found by this use is written down with this use's refusal, in one write.
      const { record, noted } = await noteExpiry(found, now, [event("refused", "expired")]);
      const status = statusOf(record, now);
      if (status === "expired") return noted ? answer("expired", record, now) : refuse("expired", record, "expired");
      if (status !== "open") return refuse("closed", record, status);

      // The use and its "used" event are one transaction in the store; a
      // ticket of one use records its use on its row (lib/tickets/history.ts).
      if (await store.spend(record.id, record.usesLeft, now, actor, rowRecordsUse(record) ? undefined : event("used", null))) {
        return answer("success", spentCopy(record, now, actor), now);
      }
    }
    throw new Error("redeem: the store refused every attempt to spend an open ticket");
  }

  return {
    clock,

    /**
     * Issues a ticket. The raw value is returned here and only here; the store
     * keeps its SHA-256.
     */
    async issue(input: IssueInput): Promise<Result<{ ticket: string; record: TicketView; superseded: string[]; mailId: string | null }>> {
      if (!TICKET_TYPES.includes(input.type)) return fail("INVALID_TYPE", String(input.type));
      const email = input.email ?? null;
      if (input.type !== "api" && email === null) return fail("INVALID_EMAIL");
      if (email !== null && (typeof email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)) return fail("INVALID_EMAIL");
      const domain = input.domain ?? defaultDomain;
      if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(domain)) return fail("INVALID_DOMAIN", domain);

      let data: string | null = null;
      if (input.data !== undefined && input.data !== null) {
        const checked = actionPaths.check(input.data);
        if (!checked.ok) return fail("INVALID_ACTION", checked.reason);
        data = checked.path;
      }

      let payload: string | null = null;
      if (input.payload !== undefined && input.payload !== null) {
        try {
          payload = JSON.stringify(input.payload) ?? null;
        } catch {
          return fail("INVALID_PAYLOAD");
        }
        if (payload === null) return fail("INVALID_PAYLOAD");
        const limit = input.maxPayloadBytes ?? defaultMaxPayload;
        const size = Buffer.byteLength(payload, "utf8");
        if (size > limit) return fail("PAYLOAD_TOO_LARGE", `${size} bytes, at most ${limit}`);
      }

      if (input.ttlSeconds !== null && !(Number.isSafeInteger(input.ttlSeconds) && input.ttlSeconds > 0)) return fail("INVALID_TTL");
      if (input.uses !== null && !(Number.isSafeInteger(input.uses) && input.uses > 0)) return fail("INVALID_USES");

      const now = clock.now();
      const expiresAt = input.ttlSeconds === null ? null : new Date(now.getTime() + input.ttlSeconds * 1000);
      // A ttl so large that the expiry is past the last representable date (year 275760) is refused, not stored as an invalid date.
      if (expiresAt !== null && Number.isNaN(expiresAt.getTime())) return fail("INVALID_TTL");
      const ticket = generateTicket();
      const fields = {
        tokenHash: hashTicket(ticket),
        type: input.type,
        email,
        userId: input.userId ?? null,
        projectId: input.projectId ?? null,
        domain,
        data,
        payload,
        maxUses: input.uses,
        usesLeft: input.uses,
        expiresAt,
        requestedFromIp: input.requestedFrom?.ip ?? null,
        requestedFromUa: input.requestedFrom?.userAgent ?? null,
        createdAt: now,
      };
      if (input.maxLiveTickets !== undefined) {
        const { projectId } = fields;
        if (projectId === null || input.mail || input.supersede) throw new TypeError("maxLiveTickets is for API tickets: a projectId, no mail, nothing superseded");
        const record = await store.createWithinLimit({ ...fields, projectId }, input.requestedFrom ?? {}, input.maxLiveTickets);
        return record ? { ok: true, value: { ticket, record: view(record, now), superseded: [], mailId: null } } : fail("LIMIT_REACHED");
      }
      const mail = input.mail ? input.mail(ticket) : null;
      const { record, superseded, mailId } = await store.create(
        fields,
        input.supersede ? { email, userId: input.userId ?? null, type: input.type, domain } : null,
        input.requestedFrom ?? {},
        mail,
      );
      return { ok: true, value: { ticket, record: view(record, now), superseded, mailId } };
    },

    /**
     * Looks a ticket up without using it — for the confirmation page that GET
     * shows. Records an "opened" event: a mail scanner fetching the link shows
     * up in the history but spends nothing.
     */
    async peek(ticket: unknown, opts: PeekOptions = {}): Promise<PeekResult> {
      if (!isWellFormedTicket(ticket)) return { status: "unknown", ticket: null };
      const found = await store.findByHash(hashTicket(ticket));
      if (!found || !visible(found, opts)) return { status: "unknown", ticket: null };
      const now = clock.now();
      // quiet: the server looking at a ticket on the person's behalf (e.g. to send a fresh one) is not an "opened".
      if (opts.quiet) return { status: statusOf(found, now), ticket: view(found, now) };
      const kind = opts.elsewhere && (await opts.elsewhere(view(found, now))) ? "opened_elsewhere" : "opened";
      await store.recordOpened(found.id, { ticketId: found.id, kind, at: now, ip: opts.actor?.ip ?? null, userAgent: opts.actor?.userAgent ?? null, detail: null });
      const { record } = await noteExpiry({ ...found, openCount: found.openCount + 1 }, now);
      return { status: statusOf(record, now), ticket: view(record, now) };
    },

    /**
     * Uses a ticket: checks and spends one use in a single conditional write,
     * so N parallel uses of a one-use ticket give exactly one success.
     */
    async redeem(ticket: unknown, opts: UseOptions = {}): Promise<RedeemResult> {
      if (!isWellFormedTicket(ticket)) return unknown();
      const tokenHash = hashTicket(ticket);
      return spend({ tokenHash }, () => store.findByHash(tokenHash), opts);
    },

    /**
     * Uses a ticket known by its id — for the typed sign-in code, which stands
     * for a ticket whose raw value the server no longer has.
     */
    async redeemById(id: string, opts: UseOptions = {}): Promise<RedeemResult> {
      return spend({ id }, () => store.findById(id), opts);
    },

    /**
     * As `redeem`, answering only the outcome, the uses left and the payload:
     * on success they come back from the spend's own statement, and nothing
     * else of the ticket is read.
     */
    async redeemBrief(ticket: unknown, opts: UseOptions = {}): Promise<BriefRedeemResult> {
      if (!isWellFormedTicket(ticket)) return brief(unknown());
      const tokenHash = hashTicket(ticket);
      const spent = await store.spendLiveBrief({ tokenHash }, scopeOf(opts), clock.now(), opts.actor ?? {});
      if (spent) return { result: "success", usesLeft: spent.usesLeft, payload: parsedPayload(spent.payload) };
      return brief(await classify(() => store.findByHash(tokenHash), opts));
    },

    /** Uses a ticket by its raw value or its id (see redeem and redeemById). */
    redeemRef(ref: TicketRef, opts: UseOptions = {}): Promise<RedeemResult> {
      return "id" in ref ? this.redeemById(ref.id, opts) : this.redeem(ref.ticket, opts);
    },

    /** Records something that happened to a ticket without changing it: an approval, a wrong number. */
    async note(id: string, kind: Extract<EventKind, "approved" | "wrong_number">, actor: Actor = {}, detail: string | null = null): Promise<void> {
      await store.addEvent({ ticketId: id, kind, at: clock.now(), ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail });
    },

    /** Revokes (cancels) an open ticket with a reason, as an admin or the owner ("this wasn't me"). */
    async revoke(id: string, reason: string, actor: Actor = {}): Promise<Result<TicketView>> {
      const found = await store.findById(id);
      if (!found) return fail("NOT_FOUND");
      const now = clock.now();
      const { record } = await noteExpiry(found, now);
      const revoked: NewTicketEvent = { ticketId: id, kind: "revoked", at: now, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: reason };
      if (record.state !== "open" || !(await store.end(id, "revoked", reason, now, [revoked]))) return fail("NOT_OPEN", statusOf(record, now));
      return { ok: true, value: view({ ...record, state: "revoked", reason, endedAt: now, updatedAt: now }, now) };
    },

    /**
     * Revokes every live ticket `filter` selects, each with a "revoked" event,
     * in one write: a disabled account's tickets, a user's other reset links.
     * Tickets already past their expiry are left for their next use to
     * record as expired. Answers how many it revoked.
     */
    async revokeOpen(filter: Omit<TicketFilter, "state">, reason: string, actor: Actor = {}): Promise<number> {
      if (!Object.values(filter).some((value) => value !== undefined)) throw new TypeError("revokeOpen needs a filter: an empty one would revoke every live ticket");
      const now = clock.now();
      const event = { kind: "revoked" as const, at: now, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, detail: reason };
      return (await store.endAll({ all: [matching(filter), LIVE] }, now, { state: "revoked", reason }, event)).length;
    },

    /** How many tickets `filter` selects, by the state the core reports (see list). */
    async count(filter: TicketFilter = {}): Promise<number> {
      return store.count(matching(filter), clock.now());
    },

    /** How many live (open, unexpired) tickets `filter` selects: an API project's limit counts these. */
    async countLive(filter: Omit<TicketFilter, "state"> = {}): Promise<number> {
      return store.count({ all: [matching(filter), LIVE] }, clock.now());
    },

    /**
     * Deletes a ticket, by raw value or by id, with its history (Authen's
     * delete). Answers how many were deleted and how many uses the ticket had left.
     */
    async delete(ref: { ticket: unknown } | { id: string }, opts: Pick<UseOptions, "projectId" | "domain"> = {}): Promise<{ deleted: 0 | 1; usesLeft: number | null }> {
      let found: TicketRecord | null = null;
      if ("id" in ref) found = await store.findById(ref.id);
      else if (isWellFormedTicket(ref.ticket)) found = await store.findByHash(hashTicket(ref.ticket));
      if (!found || !visible(found, opts)) return { deleted: 0, usesLeft: null };
      return { deleted: (await store.delete(found.id)) ? 1 : 0, usesLeft: found.usesLeft };
    },

    /**
     * Removes tickets that ended — used up, expired, revoked, superseded — more
     * than `retentionSeconds` ago (Bugzilla's CleanTokenTable), in batches:
     * all of them, or at most `maxBatches` batches.
     */
    async cleanup(retentionSeconds: number, batchSize = CLEANUP_BATCH, maxBatches?: number): Promise<CleanupReport> {
      if (!(Number.isFinite(retentionSeconds) && retentionSeconds >= 0)) throw new RangeError("retentionSeconds must be 0 or more");
      const now = clock.now();
      const report = await store.cleanup(dueForCleanup(new Date(now.getTime() - retentionSeconds * 1000)), now, batchSize, maxBatches);
      return { removed: report.removed, byState: reportedStates(report.byState) };
    },

    /** One ticket with its history, oldest event first. */
    async get(id: string): Promise<{ ticket: TicketView; events: TicketEventRecord[] } | null> {
      const record = await store.findById(id);
      if (!record) return null;
      return { ticket: view(record), events: ticketHistory(record, await store.events(id)) };
    },

    /** A page of tickets, newest first. */
    async list(filter: TicketFilter = {}, page: Page = {}): Promise<{ items: TicketView[]; nextCursor: string | null }> {
      // A limit that is not a number (e.g. NaN from a bad query string) falls back to the default.
      const requested = Math.trunc(page.limit ?? DEFAULT_LIMIT);
      const limit = Math.min(Math.max(Number.isNaN(requested) ? DEFAULT_LIMIT : requested, 1), MAX_LIMIT);
      const now = clock.now();
      const after = decodeCursor(page.cursor);
      const rows = await store.list(after ? { all: [matching(filter), listedAfter(after.at, after.id)] } : matching(filter), now, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items: items.map((row) => view(row, now)), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
  };
}

export interface TicketService extends ReturnType<typeof ticketOperations>, ReturnType<typeof cancelOperations> {
  /**
   * The same core (clock, action paths, limits) on another store: one bound to a
   * caller's database transaction, so what the core writes commits or rolls
   * back with the caller's own writes (inTicketTransaction in
   * lib/db/prisma-ticket-store.ts). It has no notifier: a mail queued outside
   * that transaction would not roll back with it, so cancel and redeemFor
   * take `notify` per call there.
   */
  withStore(store: TicketStore): TicketService;
}

export function createTicketService(options: TicketServiceOptions): TicketService {
  const operations = ticketOperations(options);
  return { ...operations, ...cancelOperations(operations, options.notifyCancelled), withStore: (store) => createTicketService({ ...options, store, notifyCancelled: undefined }) };
}
