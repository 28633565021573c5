// Rate limits per address and per client IP, shared across instances
// (docs/design.md): the counters live in the database, so every app instance
// behind a load balancer, and every process on one SQLite file, counts
// against the same buckets.
//
// A bucket is a fixed window: a count and the moment it resets. Every write
// below is a single conditional statement, never read-then-write, because
// parallel callers (and other processes) may hit the same key at once:
// - on SQLite each statement runs under the database write lock;
// - on PostgreSQL a concurrent UPDATE waits for the row lock and then
//   re-checks its WHERE against the committed row, and a concurrent INSERT of
//   the same key fails on the primary key instead of creating a second bucket.
// The count a caller is judged by is the one its own UPDATE … RETURNING
// produced, not a later read, so exactly `limit` callers see count <= limit
// however the calls interleave.
import { createHash } from "node:crypto";

import { rateLimitSubject } from "@/lib/http/client-ip";

import type { Db } from "./client";
import { isUniqueViolation } from "./errors";

export interface RateLimitRule {
  /** Hits allowed in one window. */
  limit: number;
  windowSeconds: number;
}

export interface KeyedRateLimitRule extends RateLimitRule {
  key: string;
}

export interface RateLimitResult {
  allowed: boolean;
  /** The bucket's count including this hit. */
  count: number;
  /** Whole seconds until the window resets when refused; 0 when allowed. */
  retryAfterSeconds: number;
}

// The loop only repeats when another caller created or reset the bucket
// between our statements; a handful of rounds is plenty, and a bound turns
// an unforeseen livelock into an error instead of a hung request.
const MAX_ROUNDS = 8;

function assertRule(rule: RateLimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 0) throw new RangeError(`rate limit must be a whole number >= 0, got ${rule.limit}`);
  if (!Number.isFinite(rule.windowSeconds) || rule.windowSeconds <= 0) throw new RangeError(`rate limit window must be > 0 seconds, got ${rule.windowSeconds}`);
}

/** Counts one hit on `key` and says whether it is within `rule`. */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, now: Date = new Date()): Promise<RateLimitResult> {
  assertRule(rule);
  const bucket = await hit(db, key, new Date(now.getTime() + rule.windowSeconds * 1000), now);
  const allowed = bucket.count <= rule.limit;
  return {
    allowed,
    count: bucket.count,
    retryAfterSeconds: allowed ? 0 : Math.ceil((bucket.resetAt.getTime() - now.getTime()) / 1000),
  };
}

async function hit(db: Db, key: string, nextReset: Date, now: Date): Promise<{ count: number; resetAt: Date }> {
  const select = { count: true, resetAt: true } as const;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // (1) The window is running: count this hit.
    const [counted] = await db.rateLimitBucket.updateManyAndReturn({
      where: { key, resetAt: { gt: now } },
      data: { count: { increment: 1 } },
      select,
    });
    if (counted) return counted;

    // (2) The window has ended: this hit opens the next one. Only one of
    // several parallel resetters matches; the others fall through to (3),
    // fail on the key, and count in (1).
    const [reset] = await db.rateLimitBucket.updateManyAndReturn({
      where: { key, resetAt: { lte: now } },
      data: { count: 1, resetAt: nextReset },
      select,
    });
    if (reset) return reset;

    // (3) No bucket yet.
    try {
      return await db.rateLimitBucket.create({ data: { key, count: 1, resetAt: nextReset }, select });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error(`rate limit bucket ${key} kept changing under ${MAX_ROUNDS} attempts`);
}

/**
 * Whether `key` has used up `rule` in its current window, without counting a
 * hit: for limits on failures, which are checked before the attempt and
 * counted only when it fails (an unknown ticket, a wrong password).
 */
export async function peekRateLimit(db: Db, key: string, rule: RateLimitRule, now: Date = new Date()): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  assertRule(rule);
  const bucket = await db.rateLimitBucket.findFirst({ where: { key, resetAt: { gt: now } }, select: { count: true, resetAt: true } });
  if (!bucket || bucket.count < rule.limit) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.ceil((bucket.resetAt.getTime() - now.getTime()) / 1000) };
}

/**
 * Counts one hit against every rule; allowed only when every rule allows.
 *
 * Every rule is counted even when an earlier one refuses: otherwise a client
 * hammering one address would stop spending its per-IP budget as soon as
 * the per-address limit refused it.
 */
export async function checkRateLimits(db: Db, rules: readonly KeyedRateLimitRule[], now: Date = new Date()): Promise<{ allowed: boolean; retryAfterSeconds: number; results: RateLimitResult[] }> {
  const results: RateLimitResult[] = [];
  // One after another, not in parallel: on SQLite the writes serialise
  // anyway, and on PostgreSQL one request should hold one connection.
  for (const { key, ...rule } of rules) results.push(await hitRateLimit(db, key, rule, now));
  return {
    allowed: results.every((r) => r.allowed),
    retryAfterSeconds: Math.max(0, ...results.map((r) => r.retryAfterSeconds)),
    results,
  };
}

/** Deletes buckets whose window ended before `now`; returns how many. */
export async function pruneRateLimits(db: Db, now: Date = new Date()): Promise<number> {
  // A bucket deleted here and hit a moment later is simply created again by
  // hitRateLimit's step (3), so pruning needs no coordination with callers.
  const { count } = await db.rateLimitBucket.deleteMany({ where: { resetAt: { lt: now } } });
  return count;
}

/**
 * A bucket key: the scope in clear (for the admin view and for pruning by
 * hand) and the value as SHA-256, so the table never holds an e-mail
 * address or a client IP.
 */
export function rateLimitKey(scope: string, value: string): string {
  return `${scope}:${createHash("sha256").update(value, "utf8").digest("hex")}`;
}

/** The sign-in request policy: per address (a burst and an hourly cap) and per client IP. */
/** The sign-in policy's shape; the defaults are LOGIN_LIMITS, operators tune them through the environment. */
export interface LoginLimits {
  /** Seconds between two links to one address. */
  minIntervalSeconds: number;
  /** Links to one address per hour. */
  perAddressPerHour: number;
  /** Link requests from one client address per hour. */
  perIpPerHour: number;
}

export const LOGIN_LIMITS: LoginLimits = { minIntervalSeconds: 60, perAddressPerHour: 5, perIpPerHour: 30 };

/**
 * The keyed rules for one sign-in request. `email` should already be
 * normalised (lib/forms/email.ts); it is trimmed and lower-cased again
 * here because a caller that forgot would otherwise give "Ada@" and "ada@"
 * separate budgets. The client counts by rateLimitSubject (an IPv6 client
 * by its /64). No IP (unknown client) means no IP rule rather than one
 * bucket shared by every unknown client.
 */
export function loginRateLimitRules(email: string, ip: string | null, limits: LoginLimits = LOGIN_LIMITS): KeyedRateLimitRule[] {
  const address = email.trim().toLowerCase();
  const rules: KeyedRateLimitRule[] = [
    { key: rateLimitKey("login:addr", address), limit: 1, windowSeconds: limits.minIntervalSeconds },
    { key: rateLimitKey("login:addr-h", address), limit: limits.perAddressPerHour, windowSeconds: 3600 },
  ];
  if (ip !== null) rules.push({ key: rateLimitKey("login:ip", rateLimitSubject(ip)), limit: limits.perIpPerHour, windowSeconds: 3600 });
  return rules;
}

/**
 * Ticket guessing (docs/design.md: rate limits per client IP): links that match no
 * ticket, per client (rateLimitSubject: an IPv6 client by its /64). Past the
 * limit, every link from that client gets the "too many" answer — known
 * ones too, or a guesser would learn from the difference — until the window
 * ends. A person only meets it after opening that many broken links in an hour.
 */
export function ticketGuessRule(ip: string, perHour: number): KeyedRateLimitRule {
  return { key: rateLimitKey("ticket:unknown-ip", rateLimitSubject(ip)), limit: perHour, windowSeconds: 3600 };
}
