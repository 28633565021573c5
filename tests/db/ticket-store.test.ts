// The ticket core on real databases: exactly-once under parallel use, hashed
// storage, supersede, clean-up and paging — through the Prisma store on each
// engine, and through the raw better-sqlite3 store on SQLite. The assertions
// read rows back through Prisma, so the raw store is also held to the format
// Prisma reads.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Engine, sqlitePath } from "@/lib/db/engine";
import { PgTicketStore } from "@/lib/db/pg-ticket-store";
import { PrismaTicketStore } from "@/lib/db/prisma-ticket-store";
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";
import { type TicketService, type TicketStore, type TicketType, createActionPathRegistry, createTicketService, hashTicket } from "@/lib/tickets";
import { matching } from "@/lib/tickets/rules";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";
import { injectFailure } from "./inject-failure";

const actionPaths = createActionPathRegistry(["account", "subrequest/:list"]);
const PARALLEL = 64;

type StoreKind = "Prisma" | "raw SQLite" | "raw PostgreSQL";
const combinations: [Engine, StoreKind][] = engines.flatMap((engine): [Engine, StoreKind][] =>
  engine === "sqlite" ? [[engine, "Prisma"], [engine, "raw SQLite"]] : [[engine, "Prisma"], [engine, "raw PostgreSQL"]],
);

describe.each(combinations)("ticket store on %s (%s store)", (engine, kind) => {
  let t: TestDatabase;
  let clock: { now(): Date };
  let current = new Date("2026-11-24T08:00:00.000Z");
  let service: TicketService;
  let raw: SqliteTicketStore | PgTicketStore | undefined;
  let store: TicketStore;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 16 });
    clock = { now: () => current };
    // A raw store opens its own connections to the test database Prisma uses.
    raw = kind === "raw SQLite" ? SqliteTicketStore.open(t.url) : kind === "raw PostgreSQL" ? PgTicketStore.open(t.url, t.db, { schema: t.schema, poolSize: 16 }) : undefined;
    store = raw ?? new PrismaTicketStore(t.db);
    service = createTicketService({ store, actionPaths, clock, defaultDomain: "example.com" });
  });
  afterAll(async () => {
    await raw?.close();
    await t?.drop();
  });

  async function issue(uses: number | null, extra: Partial<Parameters<TicketService["issue"]>[0]> = {}) {
    const issued = await service.issue({ type: "login", email: "ada@example.com", data: "subrequest/foo", ttlSeconds: 900, uses, requestedFrom: { ip: "192.0.2.10", userAgent: "mail client" }, ...extra });
    if (!issued.ok) throw new Error(issued.error.message);
    return issued.value;
  }

  it(`consumption is one conditional write: ${PARALLEL} parallel uses of a one-use ticket give exactly one success`, async () => {
    const { ticket, record } = await issue(1);
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => service.redeem(ticket, { actor: { ip: `198.51.100.${i}` } })));
    expect(results.filter((r) => r.result === "success")).toHaveLength(1);
    expect(results.filter((r) => r.result === "closed")).toHaveLength(PARALLEL - 1);
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } });
    expect(row).toMatchObject({ usesLeft: 0, useCount: 1, state: "closed" });
    // The history says it once: a ticket of one use records its use on its row.
    expect((await service.get(record.id))!.events.filter((e) => e.kind === "used")).toHaveLength(1);
  });

  it(`a ticket with 5 uses under ${PARALLEL} parallel uses gives exactly 5, and nothing goes negative`, async () => {
    const { ticket, record } = await issue(5);
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => service.redeem(ticket)));
    const successes = results.filter((r) => r.result === "success");
    expect(successes).toHaveLength(5);
    // Each success saw a different count of uses left: 4, 3, 2, 1, 0.
    expect(successes.map((r) => r.usesLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } });
    expect(row).toMatchObject({ usesLeft: 0, useCount: 5, state: "closed" });
    const negative = await t.raw<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM tickets WHERE "usesLeft" < 0 OR "useCount" > "maxUses"`);
    expect(Number(negative[0]!.n)).toBe(0);
  });

  it("parallel uses of many tickets at once each succeed exactly once", async () => {
    const issued = await Promise.all(Array.from({ length: 8 }, () => issue(1)));
    const attempts = issued.flatMap(({ ticket }) => Array.from({ length: 8 }, () => service.redeem(ticket)));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.result === "success")).toHaveLength(8);
    expect(new Set(results.filter((r) => r.result === "success").map((r) => r.ticket!.id)).size).toBe(8);
  });

  it(`a brief use (the API's) is the same use: ${PARALLEL} parallel brief uses of a one-use ticket give one success, with its payload`, async () => {
    const { ticket, record } = await issue(1, { type: "api", email: null, payload: { user_id: 9001 } });
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => service.redeemBrief(ticket, { types: ["api"], actor: { ip: `198.51.100.${i}` } })));
    expect(results.filter((r) => r.result === "success")).toEqual([{ result: "success", usesLeft: 0, payload: { user_id: 9001 } }]);
    expect(results.filter((r) => r.result === "closed")).toHaveLength(PARALLEL - 1);
    // A refusal answers what redeem answers (the API turns it into an error code).
    expect(results.find((r) => r.result === "closed")).toEqual({ result: "closed", usesLeft: 0, payload: { user_id: 9001 } });
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } });
    expect(row).toMatchObject({ usesLeft: 0, useCount: 1, state: "closed", endedAt: current, lastUsedAt: current });
    expect((await service.get(record.id))!.events.filter((e) => e.kind === "used")).toHaveLength(1);
  });

  it("a brief use of a ticket of several uses writes each use's event, and answers unknown, used up and out of scope as redeem does", async () => {
    const { ticket, record } = await issue(3, { payload: [1, 2] });
    const uses = await Promise.all(Array.from({ length: 5 }, () => service.redeemBrief(ticket)));
    expect(uses.filter((r) => r.result === "success").map((r) => r.usesLeft).sort()).toEqual([0, 1, 2]);
    expect(uses.filter((r) => r.result === "success").every((r) => JSON.stringify(r.payload) === "[1,2]")).toBe(true);
    expect((await service.get(record.id))!.events.filter((e) => e.kind === "used")).toHaveLength(3);
    expect(await service.redeemBrief("not-a-ticket")).toEqual({ result: "error", usesLeft: null, payload: null });
    const other = await issue(1);
    expect(await service.redeemBrief(other.ticket, { projectId: "another-project" })).toEqual({ result: "error", usesLeft: null, payload: null });
    expect((await service.redeemBrief(other.ticket, { types: ["api"] })).result).toBe("error");
    expect((await service.redeemBrief(other.ticket)).result).toBe("success");
  });

  it("unlimited tickets count uses without a limit", async () => {
    const { ticket, record } = await issue(null);
    const results = await Promise.all(Array.from({ length: 20 }, () => service.redeem(ticket)));
    expect(results.every((r) => r.result === "success" && r.usesLeft === null)).toBe(true);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).useCount).toBe(20);
  });

  it("tickets are stored only as a hash: the raw value appears nowhere in the database", async () => {
    const { ticket, record } = await issue(2, { payload: { user_id: 9001 } });
    await service.peek(ticket, { actor: { ip: "192.0.2.99", userAgent: "scanner" } });
    await service.redeem(ticket, { actor: { ip: "192.0.2.98" } });
    const tables = ["tickets", "ticket_events", "users", "sessions", "accounts", "verification_tokens", "rate_limit_buckets", "api_projects", "api_keys"];
    for (const table of tables) {
      const rows = await t.raw(`SELECT * FROM "${table}"`);
      expect(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(ticket);
    }
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.tokenHash).toBe(hashTicket(ticket));
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("expiry is decided by the injected clock, to the millisecond", async () => {
    const { ticket } = await issue(1, { ttlSeconds: 60 });
    const issuedAt = current;
    try {
      current = new Date(issuedAt.getTime() + 60_000);
      const late = await service.redeem(ticket);
      expect(late).toMatchObject({ result: "expired", status: "expired" });
      current = new Date(issuedAt.getTime() + 59_999);
      // Once recorded as expired it stays expired, even for a clock that goes back.
      expect((await service.redeem(ticket)).result).toBe("expired");
    } finally {
      current = issuedAt;
    }
    const { ticket: fresh } = await issue(1, { ttlSeconds: 60 });
    current = new Date(issuedAt.getTime() + 59_999);
    try {
      expect((await service.redeem(fresh)).result).toBe("success");
    } finally {
      current = issuedAt;
    }
  });

  it("peek consumes nothing and is recorded as an opened event", async () => {
    const { ticket, record } = await issue(1);
    for (let i = 0; i < 3; i++) expect((await service.peek(ticket, { actor: { ip: "203.0.113.5", userAgent: "SafeLinks" } })).status).toBe("open");
    expect((await service.redeem(ticket)).result).toBe("success");
    const detail = await service.get(record.id);
    expect(detail!.ticket.openCount).toBe(3);
    expect(detail!.events.map((e) => e.kind)).toEqual(["issued", "opened", "opened", "opened", "used"]);
    expect(detail!.events[1]).toMatchObject({ ip: "203.0.113.5", userAgent: "SafeLinks" });
  });

  it("a newer ticket supersedes the owner's open tickets of the same type in one transaction", async () => {
    const first = await issue(1, { email: "sup@example.com" });
    const other = await issue(1, { email: "sup@example.com", type: "password_reset" });
    const second = await issue(1, { email: "sup@example.com", supersede: true });
    expect(second.superseded).toEqual([first.record.id]);
    const old = await service.redeem(first.ticket);
    expect(old).toMatchObject({ result: "closed", status: "superseded" });
    expect(old.ticket!.supersededById).toBe(second.record.id);
    expect((await service.redeem(other.ticket)).result).toBe("success");
    expect((await service.redeem(second.ticket)).result).toBe("success");
  });

  it("queues a ticket's mail in the ticket's transaction: both or neither", async () => {
    const sealed = (ticket: string) => ({ recipient: "mail@example.com", template: "login-link", sealed: `sealed:${ticket.length}` });
    const issued = await service.issue({ type: "login", email: "mail@example.com", data: null, ttlSeconds: 900, uses: 1, supersede: true, mail: sealed });
    if (!issued.ok) throw new Error(issued.error.message);
    const row = await t.db.mailMessage.findFirstOrThrow({ where: { id: issued.value.mailId! } });
    expect(row).toMatchObject({ recipient: "mail@example.com", template: "login-link", sealed: "sealed:43", state: "pending", attempts: 0, nextAttemptAt: current, lockedUntil: null, sentAt: null });

    // The ticket cannot be written (its hash is taken): no mail is left behind.
    const taken = await t.db.ticket.findFirstOrThrow({ where: { id: issued.value.record.id } });
    const newTicket = { tokenHash: taken.tokenHash, type: "login" as const, email: "mail@example.com", userId: null, projectId: null, domain: "example.com", data: null, payload: null, maxUses: 1, usesLeft: 1, expiresAt: null, requestedFromIp: null, requestedFromUa: null, createdAt: current };
    const mails = await t.db.mailMessage.count();
    await expect(store.create(newTicket, null, {}, { recipient: "orphan@example.com", template: "login-link", sealed: "x" })).rejects.toThrow();
    await expect(store.create(newTicket, { email: "mail@example.com", userId: null, type: "login", domain: "example.com" }, {}, { recipient: "orphan@example.com", template: "login-link", sealed: "x" })).rejects.toThrow();
    expect(await t.db.mailMessage.count()).toBe(mails);

    // The mail cannot be written: no ticket, and the older link is not superseded by a ticket that does not exist.
    const before = await t.db.ticket.count();
    const broken = { recipient: null, template: "login-link", sealed: "x" } as unknown as { recipient: string; template: string; sealed: string };
    await expect(store.create({ ...newTicket, tokenHash: "f".repeat(64) }, { email: "mail@example.com", userId: null, type: "login", domain: "example.com" }, {}, broken)).rejects.toThrow();
    await expect(store.create({ ...newTicket, tokenHash: "e".repeat(64) }, null, {}, broken)).rejects.toThrow();
    expect(await t.db.ticket.count()).toBe(before);
    expect(await t.db.ticket.findFirstOrThrow({ where: { id: issued.value.record.id } })).toMatchObject({ state: "open" });
  });

  it('rule "Consumption is one conditional write": a use whose "used" event cannot be written spends nothing', async () => {
    // A ticket of several uses: each use is an event (one of one use is recorded by its row).
    const { ticket, record } = await issue(2);
    const restore = await injectFailure(t, "INSERT", "ticket_events", `NEW."kind" = 'used'`);
    try {
      await expect(service.redeem(ticket, { actor: { ip: "198.51.100.20" } })).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ usesLeft: 2, useCount: 0, state: "open", lastUsedAt: null, endedAt: null });
    expect((await service.get(record.id))!.events.map((e) => e.kind)).toEqual(["issued"]);
    // The ticket is still good for both its uses, and the history says so once.
    expect((await service.redeem(ticket)).result).toBe("success");
    expect((await service.get(record.id))!.events.map((e) => e.kind)).toEqual(["issued", "used"]);
  });

  it('rule "Consumption is one conditional write": brief uses whose "used" event cannot be written spend nothing, and uses beside them still commit', async () => {
    const several = await issue(2);
    const single = await Promise.all(Array.from({ length: 4 }, () => issue(1)));
    const restore = await injectFailure(t, "INSERT", "ticket_events", `NEW."kind" = 'used'`);
    let results: PromiseSettledResult<unknown>[];
    try {
      // Together, as requests arriving at once: on SQLite one group commit.
      results = await Promise.allSettled([service.redeemBrief(several.ticket), ...single.map(({ ticket }) => service.redeemBrief(ticket))]);
    } finally {
      await restore();
    }
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await t.db.ticket.findUniqueOrThrow({ where: { id: several.record.id } })).toMatchObject({ usesLeft: 2, useCount: 0, state: "open", lastUsedAt: null });
    for (const { record } of single) expect(await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ usesLeft: 0, state: "closed" });
  });

  it('rule "Consumption is one conditional write": a revoke, or an expiry and its refusal, whose event cannot be written changes nothing', async () => {
    const revoked = await issue(1);
    let restore = await injectFailure(t, "INSERT", "ticket_events", `NEW."kind" = 'revoked'`);
    try {
      await expect(service.revoke(revoked.record.id, "reported by the owner")).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await t.db.ticket.findUniqueOrThrow({ where: { id: revoked.record.id } })).toMatchObject({ state: "open", reason: null, endedAt: null });
    expect((await service.revoke(revoked.record.id, "reported by the owner")).ok).toBe(true);
    expect((await service.get(revoked.record.id))!.events.map((e) => e.kind)).toEqual(["issued", "revoked"]);

    const lapsed = await issue(1, { ttlSeconds: 60 });
    const issuedAt = current;
    current = new Date(issuedAt.getTime() + 61_000);
    try {
      restore = await injectFailure(t, "INSERT", "ticket_events", `NEW."kind" = 'refused'`);
      try {
        await expect(service.redeem(lapsed.ticket)).rejects.toThrow();
      } finally {
        await restore();
      }
      // The expiry is written down with the refusal that found it, or not at all.
      expect(await t.db.ticket.findUniqueOrThrow({ where: { id: lapsed.record.id } })).toMatchObject({ state: "open", endedAt: null });
      expect((await service.get(lapsed.record.id))!.events.map((e) => e.kind)).toEqual(["issued"]);
      expect(await service.redeem(lapsed.ticket)).toMatchObject({ result: "expired", status: "expired" });
      expect((await service.get(lapsed.record.id))!.events.map((e) => e.kind)).toEqual(["issued", "expired", "refused"]);
    } finally {
      current = issuedAt;
    }
  });

  it("an event for a ticket deleted meanwhile (a refusal racing a delete) is dropped, not an error", async () => {
    const { record } = await issue(1);
    await store.addEvent({ ticketId: record.id, kind: "refused", at: current, ip: "198.51.100.30", userAgent: null, detail: "closed" });
    expect((await service.get(record.id))!.events.map((e) => e.kind)).toEqual(["issued", "refused"]);
    expect(await store.delete(record.id)).toBe(true);
    await expect(store.addEvent({ ticketId: record.id, kind: "refused", at: current, ip: "198.51.100.30", userAgent: null, detail: "closed" })).resolves.toBeUndefined();
    expect(await store.events(record.id)).toEqual([]);
  });

  it("revoke and delete", async () => {
    const a = await issue(1);
    const revoked = await service.revoke(a.record.id, "reported by the owner", { ip: "192.0.2.7" });
    expect(revoked.ok).toBe(true);
    expect(await service.redeem(a.ticket)).toMatchObject({ result: "closed", status: "revoked" });
    const b = await issue(3);
    expect(await service.delete({ ticket: b.ticket })).toEqual({ deleted: 1, usesLeft: 3 });
    expect(await service.delete({ ticket: b.ticket })).toEqual({ deleted: 0, usesLeft: null });
    expect(await t.db.ticketEvent.count({ where: { ticketId: b.record.id } })).toBe(0);
  });

  it("cleanup removes what ended before the retention period, in batches, with its events", async () => {
    await t.db.ticket.deleteMany({});
    const used = await issue(1);
    await service.redeem(used.ticket);
    const lapsed = await issue(1, { ttlSeconds: 60 });
    const live = await issue(1, { ttlSeconds: null });
    const start = current;
    try {
      current = new Date(start.getTime() + 2 * 86_400_000);
      const report = await service.cleanup(86_400, 1);
      expect(report).toEqual({ removed: 2, byState: { closed: 1, expired: 1 } });
      expect(await t.db.ticket.findMany({ select: { id: true } })).toEqual([{ id: live.record.id }]);
      expect(await t.db.ticketEvent.count({ where: { ticketId: { in: [used.record.id, lapsed.record.id] } } })).toBe(0);
    } finally {
      current = start;
    }
  });

  it("revokeOpen ends the live tickets a filter selects, each with its revoked event, and only those", async () => {
    await t.db.ticket.deleteMany({});
    const user = await t.db.user.create({ data: { email: `owner-${kind.replace(" ", "-")}@example.com` } });
    const byAddress = await issue(1, { email: user.email });
    const byAccount = await issue(1, { email: "earlier@example.com", userId: user.id, type: "password_reset" });
    const lapsing = await issue(1, { email: user.email, ttlSeconds: 60 });
    const used = await issue(1, { email: user.email });
    await service.redeem(used.ticket);
    const other = await issue(1, { email: "other@example.com" });
    const start = current;
    current = new Date(start.getTime() + 61_000);
    try {
      expect(await service.countLive({ owner: { email: user.email, userId: user.id } })).toBe(2);
      expect(await service.revokeOpen({ owner: { email: user.email, userId: user.id } }, "account disabled", { ip: "192.0.2.44" })).toBe(2);
      for (const { record } of [byAddress, byAccount]) {
        expect(await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ state: "revoked", reason: "account disabled", endedAt: current });
        expect((await service.get(record.id))!.events.map((e) => [e.kind, e.detail, e.ip])).toEqual([
          ["issued", null, "192.0.2.10"],
          ["revoked", "account disabled", "192.0.2.44"],
        ]);
      }
      expect(await t.db.ticket.findUniqueOrThrow({ where: { id: lapsing.record.id } })).toMatchObject({ state: "open", reason: null });
      expect(await t.db.ticket.findUniqueOrThrow({ where: { id: used.record.id } })).toMatchObject({ state: "closed", reason: null });
      expect((await service.redeem(other.ticket)).result).toBe("success");
      expect(await service.countLive({ owner: { email: user.email, userId: user.id } })).toBe(0);
    } finally {
      current = start;
    }
  });

  it('rule "Consumption is one conditional write": revokeOpen whose events cannot all be written revokes nothing', async () => {
    await t.db.ticket.deleteMany({});
    const first = await issue(1, { email: "all-or-none@example.com" });
    const second = await issue(1, { email: "all-or-none@example.com" });
    // The second revoked event fails: the first ticket's revoke rolls back with it.
    const restore = await injectFailure(t, "INSERT", "ticket_events", `NEW."kind" = 'revoked' AND NEW."ticketId" = '${second.record.id}'`);
    try {
      await expect(service.revokeOpen({ email: "all-or-none@example.com" }, "gone")).rejects.toThrow();
    } finally {
      await restore();
    }
    for (const { record } of [first, second]) expect(await t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ state: "open", reason: null, endedAt: null });
    expect(await t.db.ticketEvent.count({ where: { kind: "revoked" } })).toBe(0);
    expect(await service.revokeOpen({ email: "all-or-none@example.com" }, "gone")).toBe(2);
  });

  it("counts by the state the core reports: a ticket past its expiry is expired, not live", async () => {
    await t.db.ticket.deleteMany({});
    await issue(1, { ttlSeconds: 60 });
    await issue(1, { ttlSeconds: null });
    const used = await issue(1);
    await service.redeem(used.ticket);
    const start = current;
    current = new Date(start.getTime() + 60_000);
    try {
      expect(await service.countLive()).toBe(1);
      expect(await service.count({ state: "expired" })).toBe(1);
      expect(await service.count({ state: "open" })).toBe(1);
      expect(await service.count({ state: "closed" })).toBe(1);
      expect(await service.count()).toBe(3);
    } finally {
      current = start;
    }
  });

  it("lists newest first with filters and a cursor that neither skips nor repeats", async () => {
    await t.db.ticket.deleteMany({});
    const start = current;
    const ids: string[] = [];
    try {
      for (let i = 0; i < 25; i++) {
        // Pairs share a timestamp so the id tie-break is exercised.
        current = new Date(start.getTime() + Math.floor(i / 2) * 1000);
        ids.push((await issue(1, { email: i % 5 === 0 ? "five@example.com" : "ada@example.com" })).record.id);
      }
    } finally {
      current = start;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TicketService["list"]>> = await service.list({}, { limit: 10, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(ids));
    const filtered = await service.list({ emailContains: "FIVE" });
    expect(filtered.items).toHaveLength(5);
    expect(filtered.items.every((item) => item.email === "five@example.com")).toBe(true);
    expect((await service.list({ state: "open", email: "five@example.com" })).items).toHaveLength(5);
  });

  it("filters by kind the same whether the partial index by kind serves it or not (API tickets have no address)", async () => {
    await t.db.ticket.deleteMany({});
    const login = await issue(1);
    const reset = await issue(1, { type: "password_reset" });
    const api = await service.issue({ type: "api", ttlSeconds: 60, uses: 1 });
    const apiWithAddress = await service.issue({ type: "api", email: "grace@example.com", ttlSeconds: 60, uses: 1 });
    if (!api.ok || !apiWithAddress.ok) throw new Error("API tickets not issued");
    const ids = async (type: TicketType) => (await service.list({ type })).items.map((item) => item.id).sort();
    expect(await ids("login")).toEqual([login.record.id]);
    expect(await ids("password_reset")).toEqual([reset.record.id]);
    expect(await ids("api")).toEqual([api.value.record.id, apiWithAddress.value.record.id].sort());
    expect((await service.list({})).items).toHaveLength(4);
  });
});

describe("raw SQLite store and Prisma on one database", () => {
  let t: TestDatabase;
  let store: SqliteTicketStore;
  let file: Database.Database;

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    store = SqliteTicketStore.open(t.url);
    file = new Database(sqlitePath(t.url), { readonly: true });
  });
  afterAll(async () => {
    file?.close();
    store?.close();
    await t?.drop();
  });

  it("each reads what the other wrote: dates to the millisecond, numbers as numbers, the same text on disk", async () => {
    const createdAt = new Date("2026-11-24T08:29:40.090Z");
    const expiresAt = new Date("2026-11-24T08:44:40.001Z");
    const usedAt = new Date("2026-11-24T08:30:00.999Z");

    // Raw store → Prisma.
    const { record } = await store.create(
      { tokenHash: "a".repeat(64), type: "login", email: "round@example.com", userId: null, projectId: null, domain: "example.com", data: "account", payload: '{"n":9007199254740991}', maxUses: 3, usesLeft: 3, expiresAt, requestedFromIp: "192.0.2.1", requestedFromUa: "ua", createdAt },
      null,
      { ip: "192.0.2.1", userAgent: "ua" },
    );
    expect(await store.spend(record.id, 3, usedAt, { ip: "192.0.2.2", userAgent: null })).toBe(true);
    const viaPrisma = await t.db.ticket.findUnique({ where: { id: record.id } });
    expect(viaPrisma).toEqual(await store.findById(record.id));
    expect(viaPrisma).toMatchObject({ createdAt, updatedAt: usedAt, expiresAt, lastUsedAt: usedAt, endedAt: null, maxUses: 3, usesLeft: 2, useCount: 1, openCount: 0, state: "open" });
    expect(viaPrisma!.expiresAt!.getTime()).toBe(expiresAt.getTime());
    // The row is the issue (lib/tickets/history.ts); an event written by the raw store reads back the same through Prisma.
    await store.addEvent({ ticketId: record.id, kind: "opened", at: usedAt, ip: "192.0.2.3", userAgent: "ua", detail: null });
    const events = await t.db.ticketEvent.findMany({ where: { ticketId: record.id } });
    expect(events).toEqual(await store.events(record.id));
    expect(events).toMatchObject([{ kind: "opened", at: usedAt, ip: "192.0.2.3", userAgent: "ua", detail: null }]);

    // Prisma → raw store.
    const prismaRow = await t.db.ticket.create({
      data: { tokenHash: "b".repeat(64), type: "api", domain: "example.com", maxUses: 2, usesLeft: 2, expiresAt, createdAt, updatedAt: createdAt, events: { create: { kind: "opened", at: createdAt } } },
    });
    expect(await store.findById(prismaRow.id)).toEqual(prismaRow);
    expect(await store.events(prismaRow.id)).toEqual(await t.db.ticketEvent.findMany({ where: { ticketId: prismaRow.id } }));
    // Expiry is compared as text against what Prisma wrote: usable 1 ms before, not at the instant.
    expect(await store.spend(prismaRow.id, 2, expiresAt, {})).toBe(false);
    expect(await store.spend(prismaRow.id, 2, new Date(expiresAt.getTime() - 1), {})).toBe(true);
    expect(await store.spend(prismaRow.id, 1, usedAt, {})).toBe(true);
    expect(await t.db.ticket.findUnique({ where: { id: prismaRow.id } })).toMatchObject({ usesLeft: 0, useCount: 2, state: "closed", endedAt: usedAt, lastUsedAt: usedAt, updatedAt: usedAt });

    // Both wrote the same text and types, which is what Prisma's own comparisons rely on.
    const stored = file.prepare(`SELECT "id", "createdAt", "expiresAt", "lastUsedAt", typeof("usesLeft") AS "usesLeftType", typeof("createdAt") AS "createdAtType" FROM "tickets" ORDER BY "tokenHash"`).all();
    expect(stored).toEqual([
      { id: record.id, createdAt: "2026-11-24T08:29:40.090+00:00", expiresAt: "2026-11-24T08:44:40.001+00:00", lastUsedAt: "2026-11-24T08:30:00.999+00:00", usesLeftType: "integer", createdAtType: "text" },
      { id: prismaRow.id, createdAt: "2026-11-24T08:29:40.090+00:00", expiresAt: "2026-11-24T08:44:40.001+00:00", lastUsedAt: "2026-11-24T08:30:00.999+00:00", usesLeftType: "integer", createdAtType: "text" },
    ]);
  });

  it("waits for a Prisma transaction's write lock without blocking the event loop", async () => {
    const at = new Date("2026-11-24T10:00:00.000Z");
    const newTicket = (hash: string) => ({ tokenHash: hash.repeat(64), type: "login" as const, email: "lock@example.com", userId: null, projectId: null, domain: "lock.example", data: null, payload: null, maxUses: 1, usesLeft: 1, expiresAt: null, requestedFromIp: null, requestedFromUa: null, createdAt: at });
    const order: string[] = [];
    let insideTransaction!: () => void;
    const locked = new Promise<void>((resolve) => (insideTransaction = resolve));

    // Prisma holds the write lock across an await, as interactive transactions do.
    const transaction = t.db.$transaction(async (tx) => {
      await tx.user.create({ data: { email: "lock-holder@example.com" } });
      insideTransaction();
      await new Promise((resolve) => setTimeout(resolve, 300));
      order.push("prisma committed");
    });
    await locked;
    // Were the raw store to wait synchronously, this timer could not fire
    // before the transaction's, and the transaction could never finish.
    const scheduled = performance.now();
    let lag = 0;
    const ticker = new Promise<void>((resolve) =>
      setTimeout(() => {
        lag = performance.now() - scheduled - 20;
        order.push("event loop ran");
        resolve();
      }, 20),
    );
    const created = store.create(newTicket("c"), null, {}).then((result) => (order.push("raw store wrote"), result));

    const [, , { record }] = await Promise.all([transaction, ticker, created]);
    expect(order).toEqual(["event loop ran", "prisma committed", "raw store wrote"]);
    // Not a speed test: a synchronous wait for the lock would hold the timer
    // for a whole busy timeout (seconds), far beyond this bound.
    expect(lag).toBeLessThan(1000);
    expect(await t.db.ticket.findUnique({ where: { id: record.id } })).toMatchObject({ email: "lock@example.com", state: "open" });
    expect(await t.db.user.count({ where: { email: "lock-holder@example.com" } })).toBe(1);
  });

  it("searches addresses for the text itself: % and _ are not wildcards", async () => {
    const at = new Date("2026-11-24T09:00:00.000Z");
    for (const [i, email] of ["a_b@example.com", "axb@example.com", "a%b@example.com"].entries()) {
      await store.create({ tokenHash: `${i}`.repeat(64), type: "login", email, userId: null, projectId: null, domain: "wild.example", data: null, payload: null, maxUses: 1, usesLeft: 1, expiresAt: null, requestedFromIp: null, requestedFromUa: null, createdAt: at }, null, {});
    }
    const search = async (text: string) => (await store.list(matching({ domain: "wild.example", emailContains: text }), at, 10)).map((r) => r.email);
    expect(await search("A_B")).toEqual(["a_b@example.com"]);
    expect(await search("a%b")).toEqual(["a%b@example.com"]);
    expect(await search("@example.com")).toHaveLength(3);
  });
});
