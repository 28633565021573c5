// The rate limiter on real databases: fixed windows, exact counting under
// parallel hits, and counters shared by every client of one database.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resetRateLimitRules } from "@/lib/account/password-reset";
import { passwordFailureRules } from "@/lib/account/passwords";
import { type Db, createDb } from "@/lib/db/client";
import { LOGIN_LIMITS, checkRateLimits, hitRateLimit, loginRateLimitRules, peekRateLimit, pruneRateLimits, rateLimitKey, ticketGuessRule } from "@/lib/db/rate-limit";

import { defaultConfig } from "../account/harness";
import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const T0 = new Date("2026-11-24T08:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
/** A key no other test uses, so tests share one database without sharing buckets. */
const fresh = (name: string) => `test:${name}:${randomUUID()}`;

describe.each(engines)("Rate limits per address and per client IP, shared across instances (kept in the database) on %s", (engine) => {
  let t: TestDatabase;
  /** A second client on the same database: another app instance. */
  let other: Db;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 16 });
    other = engine === "sqlite" ? createDb(t.url) : createDb(t.url, { schema: t.schema, poolSize: 16 });
  });
  afterAll(async () => {
    await other?.$disconnect();
    await t?.drop();
  });

  const bucket = (key: string) => t.db.rateLimitBucket.findUnique({ where: { key } });

  it("allows hits under the limit and refuses the next with the seconds left in the window", async () => {
    const key = fresh("limit");
    const rule = { limit: 3, windowSeconds: 60 };
    expect(await hitRateLimit(t.db, key, rule, at(0))).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    expect(await hitRateLimit(t.db, key, rule, at(1_000))).toEqual({ allowed: true, count: 2, retryAfterSeconds: 0 });
    expect(await hitRateLimit(t.db, key, rule, at(2_000))).toEqual({ allowed: true, count: 3, retryAfterSeconds: 0 });
    // The window runs from the first hit: 60 s - 10.5 s = 49.5 s, rounded up.
    expect(await hitRateLimit(t.db, key, rule, at(10_500))).toEqual({ allowed: false, count: 4, retryAfterSeconds: 50 });
    expect(await hitRateLimit(t.db, key, rule, at(59_999))).toEqual({ allowed: false, count: 5, retryAfterSeconds: 1 });
    expect(await bucket(key)).toEqual({ key, count: 5, resetAt: at(60_000) });
  });

  it("starts a new window exactly at resetAt", async () => {
    const key = fresh("reset");
    const rule = { limit: 1, windowSeconds: 60 };
    expect((await hitRateLimit(t.db, key, rule, at(0))).allowed).toBe(true);
    expect(await hitRateLimit(t.db, key, rule, at(59_999))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(await hitRateLimit(t.db, key, rule, at(60_000))).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    expect(await bucket(key)).toEqual({ key, count: 1, resetAt: at(120_000) });
    expect(await hitRateLimit(t.db, key, rule, at(60_001))).toEqual({ allowed: false, count: 2, retryAfterSeconds: 60 });
  });

  it("peek says whether a failure budget is spent without spending it", async () => {
    const key = fresh("peek");
    const rule = { limit: 2, windowSeconds: 60 };
    expect(await peekRateLimit(t.db, key, rule, at(0))).toEqual({ allowed: true, retryAfterSeconds: 0 });
    await hitRateLimit(t.db, key, rule, at(0));
    expect(await peekRateLimit(t.db, key, rule, at(1_000))).toEqual({ allowed: true, retryAfterSeconds: 0 });
    await hitRateLimit(t.db, key, rule, at(1_000));
    // Two failures of two: the next attempt is refused before it is made, however often it is asked.
    for (let i = 0; i < 3; i++) expect(await peekRateLimit(t.db, key, rule, at(30_000))).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect((await t.db.rateLimitBucket.findFirstOrThrow({ where: { key } })).count).toBe(2);
    expect(await peekRateLimit(t.db, key, rule, at(60_000))).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it("ticket guessing is counted per client address, the address stored only as a hash", () => {
    const rule = ticketGuessRule("203.0.113.9", 20);
    expect(rule).toMatchObject({ limit: 20, windowSeconds: 3600 });
    expect(rule.key).toMatch(/^ticket:unknown-ip:[0-9a-f]{64}$/);
    expect(rule.key).not.toContain("203.0.113.9");
    expect(ticketGuessRule("203.0.113.10", 20).key).not.toBe(rule.key);
  });

  it("a limit of 0 refuses every hit", async () => {
    expect(await hitRateLimit(t.db, fresh("zero"), { limit: 0, windowSeconds: 10 }, at(0))).toEqual({ allowed: false, count: 1, retryAfterSeconds: 10 });
  });

  it("refuses a nonsensical rule instead of guessing", async () => {
    await expect(hitRateLimit(t.db, fresh("bad"), { limit: 1.5, windowSeconds: 60 })).rejects.toThrow(RangeError);
    await expect(hitRateLimit(t.db, fresh("bad"), { limit: 1, windowSeconds: 0 })).rejects.toThrow(RangeError);
  });

  it("50 parallel hits on a fresh key with limit 5 allow exactly 5, and the count reaches 50", async () => {
    const key = fresh("parallel");
    const results = await Promise.all(Array.from({ length: 50 }, () => hitRateLimit(t.db, key, { limit: 5, windowSeconds: 60 }, at(0))));
    const allowed = results.filter((r) => r.allowed);
    expect(allowed).toHaveLength(5);
    expect(allowed.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    // Every hit saw its own count: no two callers were judged by the same number.
    expect(new Set(results.map((r) => r.count)).size).toBe(50);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds === 60)).toBe(true);
    expect((await bucket(key))?.count).toBe(50);
  });

  it("30 parallel hits on an expired bucket open exactly one new window", async () => {
    const key = fresh("parallel-reset");
    const rule = { limit: 5, windowSeconds: 60 };
    await hitRateLimit(t.db, key, rule, at(0));
    const results = await Promise.all(Array.from({ length: 30 }, () => hitRateLimit(t.db, key, rule, at(61_000))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await bucket(key)).toEqual({ key, count: 30, resetAt: at(121_000) });
  });

  it("two keys are independent", async () => {
    const a = fresh("a");
    const b = fresh("b");
    const rule = { limit: 1, windowSeconds: 60 };
    expect((await hitRateLimit(t.db, a, rule, at(0))).allowed).toBe(true);
    expect((await hitRateLimit(t.db, a, rule, at(0))).allowed).toBe(false);
    expect(await hitRateLimit(t.db, b, rule, at(0))).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    expect((await bucket(a))?.count).toBe(2);
  });

  it("another instance (a second client on the same database) sees the same counters", async () => {
    const key = fresh("shared");
    const rule = { limit: 2, windowSeconds: 60 };
    expect((await hitRateLimit(t.db, key, rule, at(0))).count).toBe(1);
    expect(await hitRateLimit(other, key, rule, at(1_000))).toEqual({ allowed: true, count: 2, retryAfterSeconds: 0 });
    expect(await hitRateLimit(t.db, key, rule, at(2_000))).toEqual({ allowed: false, count: 3, retryAfterSeconds: 58 });
  });

  it("parallel hits split across two instances allow exactly `limit` in all", async () => {
    const key = fresh("shared-parallel");
    const limit = 7;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => hitRateLimit(i % 2 === 0 ? t.db : other, key, { limit, windowSeconds: 60 }, at(0))));
    expect(results.filter((r) => r.allowed)).toHaveLength(limit);
    expect(new Set(results.map((r) => r.count)).size).toBe(40);
    expect((await other.rateLimitBucket.findUnique({ where: { key } }))?.count).toBe(40);
  });

  it("checkRateLimits allows only when every rule allows, counts every rule, and waits for the longest", async () => {
    const short = fresh("short");
    const long = fresh("long");
    const rules = [
      { key: short, limit: 1, windowSeconds: 60 },
      { key: long, limit: 2, windowSeconds: 3600 },
    ];
    expect(await checkRateLimits(t.db, rules, at(0))).toMatchObject({ allowed: true, retryAfterSeconds: 0 });
    // The short rule refuses; the long one still allows but is counted.
    expect(await checkRateLimits(t.db, rules, at(10_000))).toMatchObject({ allowed: false, retryAfterSeconds: 50 });
    expect((await bucket(long))?.count).toBe(2);
    // Both refuse: the answer is the later of the two resets.
    expect(await checkRateLimits(t.db, rules, at(20_000))).toMatchObject({ allowed: false, retryAfterSeconds: 3580 });
    // The short window has passed, the long one has not.
    const later = await checkRateLimits(t.db, rules, at(61_000));
    expect(later).toMatchObject({ allowed: false, retryAfterSeconds: 3539 });
    expect(later.results.map((r) => r.allowed)).toEqual([true, false]);
    expect(await checkRateLimits(t.db, [], at(0))).toEqual({ allowed: true, retryAfterSeconds: 0, results: [] });
  });

  it("pruneRateLimits removes expired buckets only", async () => {
    // Years before every other test's windows, so this test's buckets are the only ones that can expire.
    const base = new Date("2020-01-01T00:00:00.000Z");
    const rule = { limit: 5, windowSeconds: 60 };
    const expired = fresh("expired");
    const endingNow = fresh("ending-now");
    const running = fresh("running");
    await hitRateLimit(t.db, expired, rule, base);
    await hitRateLimit(t.db, endingNow, rule, new Date(base.getTime() + 30_000));
    await hitRateLimit(t.db, running, rule, new Date(base.getTime() + 60_000));
    const before = await t.db.rateLimitBucket.count();
    expect(await pruneRateLimits(t.db, new Date(base.getTime() + 90_000))).toBe(1);
    expect(await bucket(expired)).toBeNull();
    expect(await bucket(endingNow)).not.toBeNull();
    expect(await bucket(running)).not.toBeNull();
    expect(await t.db.rateLimitBucket.count()).toBe(before - 1);
    // A pruned key simply starts again.
    expect(await hitRateLimit(t.db, expired, rule, new Date(base.getTime() + 91_000))).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
  });

  it("sign-in keys never contain the raw e-mail address or IP", async () => {
    const email = `ada.${randomUUID()}@example.com`;
    const ip = "203.0.113.7";
    const rules = loginRateLimitRules(email, ip);
    expect(rules.map((r) => r.key)).toEqual([rateLimitKey("login:addr", email), rateLimitKey("login:addr-h", email), rateLimitKey("login:ip", ip)]);
    expect(rules.map((r) => r.key.replace(/:[0-9a-f]{64}$/, ""))).toEqual(["login:addr", "login:addr-h", "login:ip"]);
    await checkRateLimits(t.db, rules, at(0));
    const stored = await t.raw<{ key: string }>(`SELECT "key" FROM rate_limit_buckets`);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (const { key } of stored) {
      expect(key).not.toContain("@");
      expect(key).not.toContain(email.split("@")[0]);
      expect(key).not.toContain(ip);
    }
  });

  it("sign-in limits follow the configuration", async () => {
    const email = `tuned.${randomUUID()}@example.com`;
    const limits = { minIntervalSeconds: 2, perAddressPerHour: 100, perIpPerHour: 1000 };
    expect((await checkRateLimits(t.db, loginRateLimitRules(email, "192.0.2.77", limits), at(0))).allowed).toBe(true);
    expect(await checkRateLimits(t.db, loginRateLimitRules(email, "192.0.2.77", limits), at(1_000))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect((await checkRateLimits(t.db, loginRateLimitRules(email, "192.0.2.77", limits), at(2_000))).allowed).toBe(true);
  });

  it("sign-in rules: one address is one budget however it is typed; no IP rule without an IP", () => {
    expect(loginRateLimitRules(" Ada@Example.COM ", null)).toEqual(loginRateLimitRules("ada@example.com", null));
    expect(loginRateLimitRules("ada@example.com", null).map((r) => r.key.split(":").slice(0, 2).join(":"))).toEqual(["login:addr", "login:addr-h"]);
    expect(rateLimitKey("login:addr", "ada@example.com")).not.toBe(rateLimitKey("login:addr-h", "ada@example.com"));
  });

  it("the sign-in policy: one request a minute and five an hour per address, thirty an hour per IP", async () => {
    expect(LOGIN_LIMITS).toEqual({ minIntervalSeconds: 60, perAddressPerHour: 5, perIpPerHour: 30 });
    const email = `grace.${randomUUID()}@example.com`;
    const ip = "198.51.100.23";
    expect((await checkRateLimits(t.db, loginRateLimitRules(email, ip), at(0))).allowed).toBe(true);
    expect(await checkRateLimits(t.db, loginRateLimitRules(email, ip), at(30_000))).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    for (const minute of [1, 2, 3]) expect((await checkRateLimits(t.db, loginRateLimitRules(email, ip), at(minute * 61_000))).allowed).toBe(true);
    // The sixth request in the hour: the refused one at 30 s counts too, because every attempt is a hit.
    expect(await checkRateLimits(t.db, loginRateLimitRules(email, ip), at(4 * 61_000))).toMatchObject({ allowed: false, retryAfterSeconds: 3600 - 244 });
    // The same IP with fresh addresses: 6 requests so far, 24 more allowed, then refused.
    for (let i = 0; i < 24; i++) expect((await checkRateLimits(t.db, loginRateLimitRules(`u${i}.${randomUUID()}@example.com`, ip), at(400_000))).allowed).toBe(true);
    expect(await checkRateLimits(t.db, loginRateLimitRules(`last.${randomUUID()}@example.com`, ip), at(400_000))).toMatchObject({ allowed: false, retryAfterSeconds: 3200 });
  });

  it('rule "Rate limits per address and per client IP, shared across instances": the IPv6 clients of one /64 share the sign-in per-IP limit; another /64 and the same IPv4 client mapped or not count as one', async () => {
    const limits = { minIntervalSeconds: 60, perAddressPerHour: 100, perIpPerHour: 3 };
    // A /64 no other test uses.
    const group = () => randomUUID().slice(0, 4);
    const net = `2001:db8:${group()}:${group()}`;
    const ask = (ip: string) => checkRateLimits(t.db, loginRateLimitRules(`v6.${randomUUID()}@example.com`, ip, limits), at(0));
    for (const ip of [`${net}::1`, `${net.toUpperCase()}:0:0:0:2`, `${net}:ffff:ffff:ffff:ffff`]) expect((await ask(ip)).allowed, ip).toBe(true);
    expect((await ask(`${net}::4`)).allowed).toBe(false);
    expect((await ask(`2001:db8:${group()}:${group()}::1`)).allowed).toBe(true);

    const v4 = `198.51.${parseInt(group(), 16) % 256}.${parseInt(group(), 16) % 256}`;
    for (const ip of [v4, `::ffff:${v4}`, v4]) expect((await ask(ip)).allowed, ip).toBe(true);
    expect((await ask(`::FFFF:${v4}`)).allowed).toBe(false);
  });

  it('rule "Rate limits per address and per client IP, shared across instances": ticket guessing, wrong passwords, reset and sign-up mails count per /64 too', () => {
    const ipKey = (ip: string) => passwordFailureRules("ada@example.com", ip, defaultConfig)[1]!.key;
    for (const scope of ["reset", "signup"] as const) {
      const mailKey = (ip: string) => resetRateLimitRules(scope, "ada@example.com", ip, defaultConfig)[1]!.key;
      expect(mailKey("2001:db8:1:2::1")).toBe(mailKey("2001:db8:1:2:0:0:0:99"));
      expect(mailKey("2001:db8:1:2::1")).not.toBe(mailKey("2001:db8:1:3::1"));
      expect(mailKey("::ffff:203.0.113.9")).toBe(mailKey("203.0.113.9"));
    }
    expect(ticketGuessRule("2001:db8:1:2::1", 20).key).toBe(ticketGuessRule("2001:DB8:1:2:aaaa:bbbb:cccc:dddd", 20).key);
    expect(ticketGuessRule("2001:db8:1:2::1", 20).key).not.toBe(ticketGuessRule("2001:db8:1:3::1", 20).key);
    expect(ticketGuessRule("::ffff:203.0.113.9", 20).key).toBe(ticketGuessRule("203.0.113.9", 20).key);
    expect(ipKey("2001:db8:1:2::1")).toBe(ipKey("2001:db8:1:2:0:0:0:99"));
    expect(ipKey("2001:db8:1:2::1")).not.toBe(ipKey("2001:db8:1:3::1"));
    expect(ipKey("::ffff:203.0.113.9")).toBe(ipKey("203.0.113.9"));
  });
});
