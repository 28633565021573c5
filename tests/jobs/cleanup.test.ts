// The clean-up job on real databases, with an injected clock: what it removes,
// what it keeps, batch by batch; and its lock on PostgreSQL (one instance at a time).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runExclusive } from "@/lib/db/job-lock";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { runCleanup } from "@/lib/jobs/cleanup";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const DAY = 86_400_000;

describe.each(engines)("clean-up on %s", (engine) => {
  let t: TestDatabase;
  let opened: OpenedTicketStore;
  let now = new Date("2026-11-24T12:00:00.000Z");
  const clock = { now: () => now };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    opened = openTicketStore(t.url, t.db, { schema: t.schema });
  });
  afterAll(async () => {
    await opened?.close();
    await t?.drop();
  });

  it("removes ended tickets past the retention, old mail, expired sessions, codes and rate-limit windows — and keeps the rest", async () => {
    const tickets = createTicketService({ store: opened.store, actionPaths: createActionPathRegistry(["account"]), clock, defaultDomain: "example.com" });
    const issue = async (email: string, ttlSeconds: number | null) => {
      const issued = await tickets.issue({ type: "login", email, data: null, ttlSeconds, uses: 1 });
      if (!issued.ok) throw new Error(issued.error.message);
      return issued.value;
    };
    // 40 days ago: five used, one expired (never written down as such), one still open with no expiry.
    now = new Date(Date.parse("2026-11-24T12:00:00.000Z") - 40 * DAY);
    for (let i = 0; i < 5; i++) expect((await tickets.redeem((await issue(`old${i}@example.com`, 900)).ticket)).result).toBe("success");
    await issue("expired@example.com", 900);
    const forever = await issue("forever@example.com", null);
    // 10 days ago: one used — inside the 30-day retention.
    now = new Date(Date.parse("2026-11-24T12:00:00.000Z") - 10 * DAY);
    const recent = await issue("recent@example.com", 900);
    await tickets.redeem(recent.ticket);
    now = new Date("2026-11-24T12:00:00.000Z");
    const live = await issue("live@example.com", 900);

    const user = await t.db.user.create({ data: { email: "s@example.com" } });
    await t.db.session.createMany({
      data: [
        { sessionToken: "expired-session", userId: user.id, expires: new Date(now.getTime() - 1000) },
        { sessionToken: "live-session", userId: user.id, expires: new Date(now.getTime() + DAY) },
      ],
    });
    const old = new Date(now.getTime() - 31 * DAY);
    const fresh = new Date(now.getTime() - DAY);
    await t.db.mailMessage.createMany({
      data: [
        { recipient: "a@example.com", template: "t", sealed: "", state: "sent", sentAt: old, nextAttemptAt: old },
        { recipient: "b@example.com", template: "t", sealed: "", state: "sent", sentAt: fresh, nextAttemptAt: fresh },
        { recipient: "c@example.com", template: "t", sealed: "", state: "failed", nextAttemptAt: old, updatedAt: old },
        { recipient: "d@example.com", template: "t", sealed: "x", state: "pending", nextAttemptAt: old },
      ],
    });
    await t.db.ticketBinding.createMany({
      data: [
        { browserHash: "old", kind: "login", codeHash: "x", codeAttemptsLeft: 5, expiresAt: new Date(now.getTime() - 1000) },
        { browserHash: "new", kind: "login", codeHash: "x", codeAttemptsLeft: 5, expiresAt: new Date(now.getTime() + 60_000) },
      ],
    });
    await t.db.rateLimitBucket.createMany({
      data: [
        { key: "ended", count: 3, resetAt: new Date(now.getTime() - 1000) },
        { key: "running", count: 3, resetAt: new Date(now.getTime() + 60_000) },
      ],
    });

    // The OpenID Connect provider's records: three expired (more than a batch), one live, one without expiry.
    await t.db.oidcPayload.createMany({
      data: [
        { kind: "AccessToken", id: "a1", payload: "{}", expiresAt: new Date(now.getTime() - 1000) },
        { kind: "AccessToken", id: "a2", payload: "{}", expiresAt: new Date(now.getTime() - 1000) },
        { kind: "Session", id: "a1", payload: "{}", expiresAt: new Date(now.getTime() - 1000) },
        { kind: "RefreshToken", id: "live", payload: "{}", expiresAt: new Date(now.getTime() + DAY) },
        { kind: "Grant", id: "kept", payload: "{}" },
      ],
    });

    // Batches of 2: seven tickets and more go over several transactions.
    const summary = await runCleanup({ db: t.db, tickets, clock }, { retentionDays: 30, batchSize: 2 });
    expect(summary).toEqual({ tickets: { removed: 6, byState: { closed: 5, expired: 1 } }, mail: 2, sessions: 1, bindings: 1, rateLimitBuckets: 1, oidc: 3 });

    expect((await t.db.ticket.findMany({ select: { email: true }, orderBy: { email: "asc" } })).map((r) => r.email)).toEqual(["forever@example.com", "live@example.com", "recent@example.com"]);
    expect(await t.db.ticketEvent.count({ where: { ticket: { email: { startsWith: "old" } } } })).toBe(0);
    expect((await t.db.mailMessage.findMany({ select: { recipient: true }, orderBy: { recipient: "asc" } })).map((r) => r.recipient)).toEqual(["b@example.com", "d@example.com"]);
    expect((await t.db.session.findMany({ select: { sessionToken: true } })).map((r) => r.sessionToken)).toEqual(["live-session"]);
    expect((await t.db.ticketBinding.findMany({ select: { browserHash: true } })).map((r) => r.browserHash)).toEqual(["new"]);
    expect((await t.db.rateLimitBucket.findMany({ select: { key: true } })).map((r) => r.key)).toEqual(["running"]);
    expect((await t.db.oidcPayload.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id)).toEqual(["kept", "live"]);
    // What is left still works.
    expect((await tickets.redeem(live.ticket)).result).toBe("success");
    expect((await tickets.redeem(forever.ticket)).result).toBe("success");

    // A second run finds nothing.
    expect(await runCleanup({ db: t.db, tickets, clock }, { retentionDays: 30, batchSize: 2 })).toEqual({ tickets: { removed: 0, byState: {} }, mail: 0, sessions: 0, bindings: 0, rateLimitBuckets: 0, oidc: 0 });
  });

  it.runIf(engine === "postgresql")("runs on one instance at a time: a second runner skips while the first holds the lock, and runs once it is released", async () => {
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const first = runExclusive(t.url, "cleanup", async () => {
      started();
      await holding;
      return "first";
    }, { schema: t.schema });
    await inside;
    expect(await runExclusive(t.url, "cleanup", async () => "second", { schema: t.schema })).toEqual({ ran: false });
    // Another job's lock is another lock.
    expect(await runExclusive(t.url, "other-job", async () => "other", { schema: t.schema })).toEqual({ ran: true, result: "other" });
    release();
    expect(await first).toEqual({ ran: true, result: "first" });
    expect(await runExclusive(t.url, "cleanup", async () => "third", { schema: t.schema })).toEqual({ ran: true, result: "third" });
  });

  it.runIf(engine === "postgresql")("releases the lock when the job fails", async () => {
    await expect(runExclusive(t.url, "cleanup", async () => { throw new Error("boom"); }, { schema: t.schema })).rejects.toThrow("boom");
    expect(await runExclusive(t.url, "cleanup", async () => "after", { schema: t.schema })).toEqual({ ran: true, result: "after" });
  });
});
