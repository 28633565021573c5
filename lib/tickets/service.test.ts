// The ticket core on the raw SQLite store — the real store, on a fresh
// migrated database in memory for each test — with a clock the tests
// control: issue, expiry, redeem, concurrency, peek, supersede, revoke,
// revokeOpen, counts, delete, clean-up, get and list. The security rules
// named here are docs/design.md's.
import Database from "better-sqlite3";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { readMigrations } from "@/lib/db/migrate";
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";

import { createActionPathRegistry } from "./action-paths";
import {
  type IssueInput,
  type RedeemResult,
  TICKET_ERRORS,
  type TicketErrorCode,
  type TicketService,
  type TicketView,
  createTicketService,
} from "./service";
import { type TestClock, createTestClock } from "./test-clock";
import { generateTicket, hashTicket } from "./token";
import { type EventKind, TICKET_TYPES, type TicketEventRecord, type TicketRecord, type TicketType } from "./types";

const actionPaths = createActionPathRegistry(["account", "subrequest/:list"]);
const START = new Date("2026-11-24T08:00:00.000Z");
const ISSUER = { ip: "192.0.2.10", userAgent: "mail client" };
const USER = { ip: "198.51.100.7", userAgent: "Browser/1.0" };
const OTHER = { ip: "203.0.113.9", userAgent: "Other/2.0" };
const PARALLEL = 64;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** What an unknown or malformed ticket answers: nothing about any ticket. */
const UNKNOWN: RedeemResult = {
  result: "error",
  status: "unknown",
  email: null,
  date: null,
  remoteAddr: null,
  domain: null,
  data: null,
  payload: null,
  usesLeft: null,
  ticket: null,
};

/** The migrated schema, serialized once: each test opens a copy in a fraction of a millisecond. */
let migrated: Buffer;
let db: Database.Database;
let store: SqliteTicketStore;
let clock: TestClock;
let service: TicketService;

beforeAll(() => {
  const template = new Database(":memory:");
  for (const migration of readMigrations("sqlite")) template.exec(migration.sql);
  // The owners and projects tickets below refer to (foreign keys).
  const at = START.toISOString().replace("Z", "+00:00");
  for (const id of ["user-1", "u1", "u2"]) template.prepare(`INSERT INTO "users" ("id", "email", "updatedAt") VALUES (?, ?, ?)`).run(id, `${id}@users.example`, at);
  for (const id of ["p1", "p2"]) template.prepare(`INSERT INTO "api_projects" ("id", "name", "updatedAt") VALUES (?, ?, ?)`).run(id, id, at);
  migrated = template.serialize();
  template.close();
});

beforeEach(() => {
  db = new Database(migrated);
  store = new SqliteTicketStore(db);
  clock = createTestClock(START);
  service = createTicketService({ store, actionPaths, clock, defaultDomain: "example.com" });
  return () => store.close();
});

const DATE_COLUMNS = ["expiresAt", "lastUsedAt", "endedAt", "createdAt", "updatedAt", "at"];

/** Rows of a table as records: dates as Dates (the store keeps them as ISO text). */
function rows<T>(table: "tickets" | "ticket_events"): T[] {
  return (db.prepare(`SELECT * FROM "${table}" ORDER BY "id"`).all() as Record<string, unknown>[]).map(
    (row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, DATE_COLUMNS.includes(key) && typeof value === "string" ? new Date(value) : value])) as T,
  );
}

/** What the database holds, as the tests look at it. */
function held() {
  return { tickets: new Map(rows<TicketRecord>("tickets").map((row) => [row.id, row])), eventLog: rows<TicketEventRecord>("ticket_events") };
}

function input(extra: Partial<IssueInput> = {}): IssueInput {
  return { type: "login", email: "ada@example.com", data: "subrequest/foo", ttlSeconds: 900, uses: 1, requestedFrom: ISSUER, ...extra };
}

async function issue(extra: Partial<IssueInput> = {}) {
  const issued = await service.issue(input(extra));
  if (!issued.ok) throw new Error(`issue failed: ${issued.error.code}: ${issued.error.message}`);
  return issued.value;
}

function at(ms: number): Date {
  return new Date(START.getTime() + ms);
}

/** Everything the store holds, as text. */
function dump(): string {
  const { tickets, eventLog } = held();
  return JSON.stringify({ tickets: [...tickets.values()], events: eventLog, mail: db.prepare(`SELECT * FROM "mail_messages" ORDER BY "id"`).all() });
}

function stored(id: string) {
  const record = held().tickets.get(id);
  if (!record) throw new Error(`no ticket ${id} in the store`);
  return record;
}

async function kinds(id: string): Promise<EventKind[]> {
  const got = await service.get(id);
  return got ? got.events.map((event) => event.kind) : [];
}

/** An issue call that must fail with `code` and leave the store exactly as it was. */
async function expectRefused(extra: Partial<IssueInput>, code: TicketErrorCode) {
  const before = dump();
  const result = await service.issue(input(extra));
  expect(result).toEqual({ ok: false, error: { code, message: expect.stringContaining(TICKET_ERRORS[code]) } });
  expect(dump()).toBe(before);
  return result;
}

/** A view must never carry the raw ticket or its full hash, only an 8-character hash prefix. */
function expectSafeView(view: TicketView | null | undefined, ticket: string) {
  expect(view).toBeTruthy();
  expect(view).not.toHaveProperty("tokenHash");
  expect(view).not.toHaveProperty("ticket");
  expect(view!.hashPrefix).toHaveLength(8);
  expect(view!.hashPrefix).toBe(hashTicket(ticket).slice(0, 8));
  const text = JSON.stringify(view);
  expect(text).not.toContain(ticket);
  expect(text).not.toContain(hashTicket(ticket));
  expect(text).not.toMatch(/[0-9a-f]{64}/);
}

function redeemAll(ticket: string, n = PARALLEL) {
  return Promise.all(Array.from({ length: n }, (_, i) => service.redeem(ticket, { actor: { ip: `198.51.100.${i}`, userAgent: `client ${i}` } })));
}

describe("issue", () => {
  it("returns the raw ticket once; the store keeps only its SHA-256", async () => {
    const { ticket, record } = await issue({ payload: { plan: "pro" }, uses: 2 });
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored(record.id).tokenHash).toBe(hashTicket(ticket));
    expectSafeView(record, ticket);

    // Use it, look at it, get refused: none of it writes the raw value anywhere.
    await service.peek(ticket, { actor: USER });
    await service.redeem(ticket, { actor: USER });
    await service.redeem(ticket, { actor: USER });
    await service.redeem(ticket, { actor: OTHER });
    expect(dump()).not.toContain(ticket);
    for (const row of held().tickets.values()) for (const value of Object.values(row)) expect(value).not.toBe(ticket);
    for (const event of held().eventLog) for (const value of Object.values(event)) expect(value).not.toBe(ticket);

    // Later answers never repeat the raw value either.
    const later = [await service.peek(ticket), await service.redeem(ticket), await service.get(record.id), await service.list()];
    for (const answer of later) expect(JSON.stringify(answer)).not.toContain(ticket);
  });

  it("gives every ticket a different value and id", async () => {
    const issued = await Promise.all(Array.from({ length: 50 }, (_, i) => issue({ email: `u${i}@example.com` })));
    expect(new Set(issued.map((value) => value.ticket)).size).toBe(50);
    expect(new Set(issued.map((value) => value.record.id)).size).toBe(50);
    expect(held().tickets.size).toBe(50);
  });

  it("stores what it was given, with an open state and an issued event from the requester", async () => {
    const { record } = await issue({ userId: "user-1", projectId: null, data: "/account", payload: [1, "two", { three: 3 }], ttlSeconds: 120, uses: 3 });
    expect(record).toMatchObject({
      type: "login",
      email: "ada@example.com",
      userId: "user-1",
      projectId: null,
      domain: "example.com",
      data: "account",
      payload: [1, "two", { three: 3 }],
      maxUses: 3,
      usesLeft: 3,
      useCount: 0,
      openCount: 0,
      expiresAt: at(120 * SECOND),
      status: "open",
      reason: null,
      supersededById: null,
      requestedFromIp: ISSUER.ip,
      requestedFromUa: ISSUER.userAgent,
      lastUsedAt: null,
      lastUsedIp: null,
      endedAt: null,
      createdAt: START,
    });
    const got = await service.get(record.id);
    expect(got?.events).toEqual([{ id: expect.any(String), ticketId: record.id, kind: "issued", at: START, ip: ISSUER.ip, userAgent: ISSUER.userAgent, detail: null }]);
  });

  it("uses the service's default domain, or 'default' when none is configured", async () => {
    expect((await issue()).record.domain).toBe("example.com");
    expect((await issue({ domain: "lists.example.org" })).record.domain).toBe("lists.example.org");
    const plain = createTicketService({ store, actionPaths, clock });
    const issued = await plain.issue(input());
    expect(issued.ok && issued.value.record.domain).toBe("default");
  });

  describe("validation errors are values, and nothing is written", () => {
    it.each([["bogus"], [""], ["LOGIN"], [undefined], [null], [42]])("refuses the type %j", async (type) => {
      await expectRefused({ type: type as unknown as TicketType }, "INVALID_TYPE");
    });

    it.each(TICKET_TYPES.filter((type) => type !== "api"))("refuses a %s ticket without an e-mail address", async (type) => {
      await expectRefused({ type, email: undefined }, "INVALID_EMAIL");
      await expectRefused({ type, email: null }, "INVALID_EMAIL");
    });

    it("issues an api ticket without an e-mail address", async () => {
      const { record } = await issue({ type: "api", email: undefined, projectId: "p1" });
      expect(record).toMatchObject({ type: "api", email: null, projectId: "p1" });
    });

    it.each([
      ["empty", ""],
      ["no @", "ada.example.com"],
      ["two @", "ada@b@example.com"],
      ["a list", "ada@example.com,bob@example.com"],
      ["a quoted local part with @", '"ada@x"@example.com'],
      ["CR LF", "ada@example.com\r\nBcc: eve@example.com"],
      ["a space", "ada @example.com"],
      ["a look-alike @", "ada＠example.com"],
      ["too long", `${"a".repeat(250)}@example.com`],
      ["an array", ["ada@example.com"]],
      ["a number", 42],
    ])("refuses an e-mail address that is %s", async (_label, email) => {
      await expectRefused({ email: email as unknown as string }, "INVALID_EMAIL");
    });

    it.each([["Example.com"], ["evil.example/x"], ["-example.com"], ["example.com-"], [""], ["exa mple.com"], ["example.com:8080"]])("refuses the domain %j", async (domain) => {
      await expectRefused({ domain }, "INVALID_DOMAIN");
    });

    it.each([["//evil.example"], ["/\\host"], ["https://evil.example"], ["javascript:alert(1)"], ["%2F%2Fhost"], ["account\r\nLocation: x"], ["subrequest/.."], ["admin"], [""], ["account/"]])(
      "refuses the action %j with INVALID_ACTION",
      async (data) => {
        await expectRefused({ data }, "INVALID_ACTION");
      },
    );

    it("refuses a non-string action", async () => {
      await expectRefused({ data: 42 as unknown as string }, "INVALID_ACTION");
      await expectRefused({ data: ["account"] as unknown as string }, "INVALID_ACTION");
    });

    it("stores the canonical action, and no action when none is given", async () => {
      expect((await issue({ data: "/account" })).record.data).toBe("account");
      expect((await issue({ data: null })).record.data).toBeNull();
      expect((await issue({ data: undefined })).record.data).toBeNull();
    });

    it("refuses a payload that is not JSON", async () => {
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      await expectRefused({ payload: 10n }, "INVALID_PAYLOAD");
      await expectRefused({ payload: { nested: { big: 10n } } }, "INVALID_PAYLOAD");
      await expectRefused({ payload: circular }, "INVALID_PAYLOAD");
      await expectRefused({ payload: () => 1 }, "INVALID_PAYLOAD");
      await expectRefused({ payload: Symbol("x") }, "INVALID_PAYLOAD");
      await expectRefused({
        payload: {
          toJSON() {
            throw new Error("no");
          },
        },
      }, "INVALID_PAYLOAD");
    });

    it.each([
      ["0", 0],
      ["-1", -1],
      ["-60", -60],
      ["0.5", 0.5],
      ["fractional 60.5", 60.5],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
      ["2^53 (not a safe integer)", 2 ** 53],
      ["a string", "60"],
      ["undefined", undefined],
    ])("refuses the ttl %s with INVALID_TTL", async (_label, ttlSeconds) => {
      await expectRefused({ ttlSeconds: ttlSeconds as unknown as number }, "INVALID_TTL");
    });

    it.each([
      ["1e13 s", 1e13],
      ["Number.MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER],
    ])("refuses a ttl of %s, whose expiry is past the last representable date", async (_label, ttlSeconds) => {
      await expectRefused({ ttlSeconds }, "INVALID_TTL");
    });

    it.each([
      ["0", 0],
      ["-1", -1],
      ["1.5", 1.5],
      ["0.5", 0.5],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["a string", "1"],
      ["undefined", undefined],
    ])("refuses the uses %s with INVALID_USES", async (_label, uses) => {
      await expectRefused({ uses: uses as unknown as number }, "INVALID_USES");
    });

    it("writes nothing and supersedes nothing when a superseding issue fails", async () => {
      const earlier = await issue();
      await expectRefused({ supersede: true, ttlSeconds: 0 }, "INVALID_TTL");
      await expectRefused({ supersede: true, data: "//evil.example" }, "INVALID_ACTION");
      await expectRefused({ supersede: true, payload: 1n }, "INVALID_PAYLOAD");
      expect(stored(earlier.record.id).state).toBe("open");
      expect(held().tickets.size).toBe(1);
    });
  });

  describe("the payload cap counts bytes of JSON text", () => {
    it("accepts exactly 4096 bytes by default and refuses 4097", async () => {
      // {"k":"…"} is 8 bytes around the value.
      const atCap = { k: "a".repeat(4088) };
      expect(Buffer.byteLength(JSON.stringify(atCap))).toBe(4096);
      const issued = await issue({ payload: atCap });
      expect(issued.record.payload).toEqual(atCap);
      const result = await expectRefused({ payload: { k: "a".repeat(4089) } }, "PAYLOAD_TOO_LARGE");
      expect(!result.ok && result.error.message).toContain("4097 bytes, at most 4096");
    });

    it("counts multibyte UTF-8 characters by their bytes, not their length", async () => {
      // "é" is 2 bytes: "é"×2047 in quotes is 2 + 4094 = 4096 bytes.
      const atCap = "é".repeat(2047);
      expect(Buffer.byteLength(JSON.stringify(atCap))).toBe(4096);
      expect((await issue({ payload: atCap })).record.payload).toBe(atCap);
      await expectRefused({ payload: `${atCap}a` }, "PAYLOAD_TOO_LARGE");
      // 2050 characters of JSON, but 4098 bytes.
      expect(JSON.stringify("é".repeat(2048))).toHaveLength(2050);
      await expectRefused({ payload: "é".repeat(2048) }, "PAYLOAD_TOO_LARGE");
      // "😀" is 4 bytes (2 UTF-16 units): 2 + 4092 + 2 = 4096.
      const emoji = `${"😀".repeat(1023)}ab`;
      expect((await issue({ payload: emoji })).record.payload).toBe(emoji);
      await expectRefused({ payload: `${emoji}c` }, "PAYLOAD_TOO_LARGE");
    });

    it("counts JSON escapes: a newline is two bytes of JSON text", async () => {
      await issue({ payload: "\n".repeat(2047) });
      await expectRefused({ payload: "\n".repeat(2048) }, "PAYLOAD_TOO_LARGE");
    });

    it("honours a per-call maxPayloadBytes, lower or higher than the default", async () => {
      // "€" is 3 bytes: 2 + 6 + 2 = 10.
      expect((await issue({ payload: "€€aa", maxPayloadBytes: 10 })).record.payload).toBe("€€aa");
      await expectRefused({ payload: "€€aaa", maxPayloadBytes: 10 }, "PAYLOAD_TOO_LARGE");
      await expectRefused({ payload: "€€€", maxPayloadBytes: 10 }, "PAYLOAD_TOO_LARGE");
      const big = "a".repeat(6000);
      await expectRefused({ payload: big }, "PAYLOAD_TOO_LARGE");
      expect((await issue({ payload: big, maxPayloadBytes: 8192 })).record.payload).toBe(big);
    });

    it("honours the service's maxPayloadBytes", async () => {
      const small = createTicketService({ store, actionPaths, clock, maxPayloadBytes: 16 });
      const ok = await small.issue(input({ payload: "a".repeat(14) }));
      expect(ok.ok).toBe(true);
      const before = dump();
      expect(await small.issue(input({ payload: "a".repeat(15) }))).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
      expect(dump()).toBe(before);
    });

    it("returns falsy JSON payloads as they were, and null/undefined as no payload", async () => {
      for (const payload of [0, false, "", [], {}]) {
        const { ticket, record } = await issue({ payload });
        expect(record.payload).toEqual(payload);
        expect((await service.redeem(ticket)).payload).toEqual(payload);
      }
      expect((await issue({ payload: null })).record.payload).toBeNull();
      expect((await issue({ payload: undefined })).record.payload).toBeNull();
    });
  });

  it("null ttl never expires", async () => {
    const { ticket, record } = await issue({ ttlSeconds: null, uses: null });
    expect(record.expiresAt).toBeNull();
    clock.advance(100 * 365 * 24 * HOUR);
    expect((await service.peek(ticket)).status).toBe("open");
    expect(await service.redeem(ticket)).toMatchObject({ result: "success", status: "open" });
  });

  it("null uses is unlimited", async () => {
    const { record } = await issue({ uses: null });
    expect(record).toMatchObject({ maxUses: null, usesLeft: null });
  });
});

describe("expiry, to the millisecond at the boundary", () => {
  it("sets expiresAt to issue time + ttl", async () => {
    clock.advance(1234);
    const { record } = await issue({ ttlSeconds: 60 });
    expect(record.expiresAt).toEqual(at(1234 + 60 * SECOND));
  });

  it("ttl 60: a use at +59.999 s succeeds", async () => {
    const { ticket } = await issue({ ttlSeconds: 60 });
    clock.advance(60 * SECOND - 1);
    expect(await service.redeem(ticket, { actor: USER })).toMatchObject({ result: "success", status: "closed" });
  });

  it("ttl 60: a use at exactly +60 s answers expired and spends nothing", async () => {
    const { ticket, record } = await issue({ ttlSeconds: 60 });
    clock.advance(60 * SECOND);
    const answer = await service.redeem(ticket, { actor: USER });
    expect(answer).toMatchObject({ result: "expired", status: "expired", email: "ada@example.com", data: "subrequest/foo", usesLeft: 1 });
    expect(answer.ticket).toMatchObject({ status: "expired", useCount: 0, endedAt: at(60 * SECOND), lastUsedAt: null });
    expect(stored(record.id)).toMatchObject({ state: "expired", usesLeft: 1, useCount: 0, endedAt: at(60 * SECOND) });
  });

  it("a brief use (the API's) keeps the same boundary: success at +59.999 s, expired at +60 s, written down once", async () => {
    const early = await issue({ ttlSeconds: 60, payload: { n: 1 } });
    const late = await issue({ ttlSeconds: 60 });
    clock.advance(60 * SECOND - 1);
    expect(await service.redeemBrief(early.ticket, { actor: USER })).toEqual({ result: "success", usesLeft: 0, payload: { n: 1 } });
    expect(stored(early.record.id)).toMatchObject({ state: "closed", usesLeft: 0, lastUsedAt: at(60 * SECOND - 1), lastUsedIp: USER.ip });
    clock.advance(1);
    expect(await service.redeemBrief(late.ticket, { actor: USER })).toEqual({ result: "expired", usesLeft: 1, payload: null });
    expect(stored(late.record.id)).toMatchObject({ state: "expired", usesLeft: 1, useCount: 0, endedAt: at(60 * SECOND) });
  });

  it("peek at the boundary: open at +59.999 s, expired at +60 s", async () => {
    const { ticket } = await issue({ ttlSeconds: 60 });
    clock.advance(60 * SECOND - 1);
    expect((await service.peek(ticket)).status).toBe("open");
    clock.advance(1);
    const peeked = await service.peek(ticket);
    expect(peeked.status).toBe("expired");
    expect(peeked.ticket?.status).toBe("expired");
  });

  it("get and list report an expired-by-time ticket as expired before anything is written", async () => {
    const { record } = await issue({ ttlSeconds: 60 });
    clock.advance(60 * SECOND);
    expect((await service.get(record.id))?.ticket.status).toBe("expired");
    expect((await service.list()).items[0]?.status).toBe("expired");
    expect(stored(record.id).state).toBe("open");
    expect(await kinds(record.id)).toEqual(["issued"]);
  });

  it("records the expired event once, however often the ticket is tried afterwards", async () => {
    const { ticket, record } = await issue({ ttlSeconds: 60 });
    clock.advance(61 * SECOND);
    for (let i = 0; i < 3; i++) expect((await service.redeem(ticket, { actor: USER })).result).toBe("expired");
    clock.advance(HOUR);
    expect((await service.peek(ticket, { actor: USER })).status).toBe("expired");
    expect((await service.peek(ticket, { actor: USER })).status).toBe("expired");
    expect(await service.revoke(record.id, "too late")).toMatchObject({ ok: false, error: { code: "NOT_OPEN" } });
    expect(await kinds(record.id)).toEqual(["issued", "expired", "refused", "refused", "refused", "opened", "opened"]);
    const expired = (await service.get(record.id))!.events.filter((event) => event.kind === "expired");
    expect(expired).toEqual([expect.objectContaining({ at: at(61 * SECOND) })]);
    // The ticket ended when the expiry was first noticed, not later.
    expect(stored(record.id).endedAt).toEqual(at(61 * SECOND));
  });

  it(`${PARALLEL} parallel uses right after expiry all answer expired, with one expired event`, async () => {
    const { ticket, record } = await issue({ ttlSeconds: 60, uses: 5 });
    clock.advance(60 * SECOND);
    const results = await redeemAll(ticket);
    expect(results.every((result) => result.result === "expired")).toBe(true);
    expect((await kinds(record.id)).filter((kind) => kind === "expired")).toHaveLength(1);
    expect(stored(record.id)).toMatchObject({ usesLeft: 5, useCount: 0 });
  });

  it("a partly used multi-use ticket still expires on time", async () => {
    const { ticket } = await issue({ ttlSeconds: 60, uses: 5 });
    clock.advance(30 * SECOND);
    expect((await service.redeem(ticket)).usesLeft).toBe(4);
    clock.advance(30 * SECOND);
    expect(await service.redeem(ticket)).toMatchObject({ result: "expired", status: "expired", usesLeft: 4 });
  });
});

describe("redeem", () => {
  it("answers success with the email, data, domain, parsed payload, uses left, requester address and status", async () => {
    const { ticket, record } = await issue({ payload: { plan: "pro", seats: [1, 2] }, uses: 1 });
    clock.advance(5 * SECOND);
    const answer = await service.redeem(ticket, { actor: USER });
    expect(answer).toEqual({
      result: "success",
      status: "closed",
      email: "ada@example.com",
      date: at(5 * SECOND),
      remoteAddr: ISSUER.ip,
      domain: "example.com",
      data: "subrequest/foo",
      payload: { plan: "pro", seats: [1, 2] },
      usesLeft: 0,
      ticket: expect.objectContaining({ id: record.id, status: "closed", useCount: 1, usesLeft: 0, lastUsedAt: at(5 * SECOND), lastUsedIp: USER.ip, lastUsedUa: USER.userAgent, endedAt: at(5 * SECOND) }),
    });
    expectSafeView(answer.ticket, ticket);
    expect(stored(record.id)).toMatchObject({ state: "closed", usesLeft: 0, useCount: 1, lastUsedIp: USER.ip, endedAt: at(5 * SECOND) });
    const used = (await service.get(record.id))!.events.filter((event) => event.kind === "used");
    expect(used).toEqual([expect.objectContaining({ ip: USER.ip, userAgent: USER.userAgent, at: at(5 * SECOND) })]);
  });

  it("a one-use ticket used again answers closed, with the first user's time and address", async () => {
    const { ticket, record } = await issue({ uses: 1 });
    clock.advance(5 * SECOND);
    expect((await service.redeem(ticket, { actor: USER })).result).toBe("success");
    clock.advance(MINUTE);
    const again = await service.redeem(ticket, { actor: OTHER });
    expect(again).toMatchObject({ result: "closed", status: "closed", email: "ada@example.com", date: at(5 * SECOND), usesLeft: 0 });
    expect(again.ticket).toMatchObject({ status: "closed", useCount: 1, lastUsedAt: at(5 * SECOND), lastUsedIp: USER.ip, lastUsedUa: USER.userAgent });
    expect(stored(record.id)).toMatchObject({ useCount: 1, usesLeft: 0, lastUsedIp: USER.ip });
    const refused = (await service.get(record.id))!.events.filter((event) => event.kind === "refused");
    expect(refused).toEqual([expect.objectContaining({ ip: OTHER.ip, userAgent: OTHER.userAgent, detail: "closed" })]);
  });

  it("a 5-use ticket gives exactly 5 successes, counting down 4..0, then closed", async () => {
    const { ticket, record } = await issue({ uses: 5 });
    const left: (number | null)[] = [];
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(SECOND);
      const answer = await service.redeem(ticket, { actor: USER });
      expect(answer.result).toBe("success");
      left.push(answer.usesLeft);
      statuses.push(answer.status);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect(statuses).toEqual(["open", "open", "open", "open", "closed"]);
    expect(await service.redeem(ticket)).toMatchObject({ result: "closed", status: "closed", usesLeft: 0 });
    expect(stored(record.id)).toMatchObject({ state: "closed", maxUses: 5, usesLeft: 0, useCount: 5, endedAt: at(5 * SECOND) });
  });

  it("an unlimited ticket succeeds every time with usesLeft null", async () => {
    const { ticket, record } = await issue({ uses: null });
    for (let i = 0; i < 100; i++) {
      expect(await service.redeem(ticket)).toMatchObject({ result: "success", status: "open", usesLeft: null });
    }
    expect(stored(record.id)).toMatchObject({ state: "open", usesLeft: null, useCount: 100 });
  });

  it.each([
    ["an empty string", ""],
    ["a short string", "abc"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["an object", { ticket: "x" }],
    ["an array", []],
    ["a hash instead of a ticket", hashTicket("x")],
  ])("answers %s as unknown, without writing anything", async (_label, value) => {
    await issue();
    const before = dump();
    expect(await service.redeem(value)).toEqual(UNKNOWN);
    expect(await service.peek(value)).toEqual({ status: "unknown", ticket: null });
    expect(dump()).toBe(before);
  });

  it("answers variants of a real ticket as unknown and leaves the ticket usable", async () => {
    const { ticket } = await issue();
    const before = dump();
    const last = ticket.slice(-1) === "A" ? "B" : "A";
    for (const variant of [`${ticket}=`, ` ${ticket}`, `${ticket}\n`, ticket.slice(0, -1), `${ticket.slice(0, -1)}${last}`, ticket.toUpperCase() === ticket ? ticket.toLowerCase() : ticket.toUpperCase(), [ticket], { ticket }]) {
      expect(await service.redeem(variant)).toEqual(UNKNOWN);
    }
    expect(dump()).toBe(before);
    expect((await service.redeem(ticket)).result).toBe("success");
  });

  it("answers a well-formed ticket that was never issued as unknown", async () => {
    await issue();
    expect(await service.redeem(generateTicket())).toEqual(UNKNOWN);
  });

  it("a ticket of another domain is unknown, and stays usable in its own", async () => {
    const { ticket, record } = await issue({ domain: "lists.example.org" });
    const before = dump();
    expect(await service.redeem(ticket, { domain: "example.com", actor: USER })).toEqual(UNKNOWN);
    expect(await service.peek(ticket, { domain: "example.com", actor: USER })).toEqual({ status: "unknown", ticket: null });
    expect(await service.delete({ ticket }, { domain: "example.com" })).toEqual({ deleted: 0, usesLeft: null });
    expect(dump()).toBe(before);
    expect(await service.redeem(ticket, { domain: "lists.example.org", actor: USER })).toMatchObject({ result: "success", domain: "lists.example.org" });
    expect(await kinds(record.id)).toEqual(["issued", "used"]);
  });

  it("a ticket of another project is unknown, and stays usable in its own", async () => {
    const { ticket } = await issue({ type: "api", email: null, projectId: "p1" });
    const before = dump();
    expect(await service.redeem(ticket, { projectId: "p2" })).toEqual(UNKNOWN);
    expect(await service.redeem(ticket, { projectId: null })).toEqual(UNKNOWN);
    expect(await service.peek(ticket, { projectId: "p2" })).toEqual({ status: "unknown", ticket: null });
    expect(dump()).toBe(before);
    expect((await service.redeem(ticket, { projectId: "p1" })).result).toBe("success");
  });

  it("a ticket without a project is unknown to a project's caller", async () => {
    const { ticket } = await issue({ projectId: null });
    expect(await service.redeem(ticket, { projectId: "p1" })).toEqual(UNKNOWN);
    expect((await service.redeem(ticket, { projectId: null })).result).toBe("success");
  });

  it("a ticket presented for another type is refused, untouched, and still usable by its own type", async () => {
    const { ticket, record } = await issue({ type: "login", uses: 1 });
    const answer = await service.redeem(ticket, { types: ["password_reset", "new_account"], actor: USER });
    expect(answer).toMatchObject({ result: "error", status: "open", usesLeft: 1 });
    expect(stored(record.id)).toMatchObject({ state: "open", usesLeft: 1, useCount: 0, lastUsedAt: null, endedAt: null });
    const refused = (await service.get(record.id))!.events.filter((event) => event.kind === "refused");
    expect(refused).toEqual([expect.objectContaining({ ip: USER.ip, detail: expect.stringContaining("password_reset") })]);
    expect(await service.redeem(ticket, { types: ["login"] })).toMatchObject({ result: "success", status: "closed" });
  });
});

describe('rule "Consumption is one conditional write" (the raw SQLite store)', () => {
  it(`${PARALLEL} parallel uses of a one-use ticket give exactly one success`, async () => {
    const { ticket, record } = await issue({ uses: 1 });
    const results = await redeemAll(ticket);
    expect(results.filter((result) => result.result === "success")).toHaveLength(1);
    expect(results.filter((result) => result.result === "closed")).toHaveLength(PARALLEL - 1);
    expect(stored(record.id)).toMatchObject({ state: "closed", usesLeft: 0, useCount: 1 });
    expect((await kinds(record.id)).filter((kind) => kind === "used")).toHaveLength(1);
    // The closed answers name the winner.
    const winner = results.find((result) => result.result === "success")!;
    for (const result of results.filter((r) => r.result === "closed")) expect(result.ticket?.lastUsedIp).toBe(winner.ticket?.lastUsedIp);
  });

  it(`a 5-use ticket under ${PARALLEL} parallel uses gives exactly 5, and uses left never goes negative`, async () => {
    const { ticket, record } = await issue({ uses: 5 });
    const results = await redeemAll(ticket);
    const successes = results.filter((result) => result.result === "success");
    expect(successes).toHaveLength(5);
    expect(successes.map((result) => result.usesLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const result of results) {
      expect(result.usesLeft).not.toBeNull();
      expect(result.usesLeft!).toBeGreaterThanOrEqual(0);
      expect(result.ticket!.useCount).toBeLessThanOrEqual(5);
    }
    expect(stored(record.id)).toMatchObject({ state: "closed", usesLeft: 0, useCount: 5 });
    expect((await kinds(record.id)).filter((kind) => kind === "used")).toHaveLength(5);
  });

  it(`an unlimited ticket under ${PARALLEL} parallel uses succeeds every time`, async () => {
    const { ticket, record } = await issue({ uses: null });
    const results = await redeemAll(ticket);
    expect(results.every((result) => result.result === "success" && result.usesLeft === null)).toBe(true);
    expect(stored(record.id)).toMatchObject({ state: "open", useCount: PARALLEL });
  });

  it("the store's spend is the conditional write: it refuses a stale count, an expired or ended ticket", async () => {
    const five = await issue({ uses: 5, ttlSeconds: 60 });
    expect(await store.spend(five.record.id, 4, START, USER)).toBe(false);
    expect(await store.spend(five.record.id, 5, START, USER)).toBe(true);
    expect(await store.spend(five.record.id, 5, START, USER)).toBe(false);
    // A caller that checked expiry a moment too early is still refused at expiry.
    expect(await store.spend(five.record.id, 4, at(60 * SECOND), USER)).toBe(false);
    expect(stored(five.record.id)).toMatchObject({ usesLeft: 4, useCount: 1, state: "open" });
    const one = await issue({ uses: 1 });
    expect(await store.spend(one.record.id, 1, START, USER)).toBe(true);
    expect(stored(one.record.id)).toMatchObject({ usesLeft: 0, state: "closed", endedAt: START });
    expect(await store.spend(one.record.id, 0, START, USER)).toBe(false);
    const unlimited = await issue({ uses: null });
    expect(await store.spend(unlimited.record.id, 0, START, USER)).toBe(false);
    expect(await store.spend(unlimited.record.id, null, START, USER)).toBe(true);
    await service.revoke(unlimited.record.id, "x");
    expect(await store.spend(unlimited.record.id, null, START, USER)).toBe(false);
    expect(await store.spend("no-such-id", null, START, USER)).toBe(false);
  });

  it("parallel uses of several tickets each succeed exactly once", async () => {
    const issued = await Promise.all(Array.from({ length: 8 }, (_, i) => issue({ email: `u${i}@example.com` })));
    const results = await Promise.all(issued.flatMap(({ ticket }) => Array.from({ length: 8 }, () => service.redeem(ticket))));
    const successes = results.filter((result) => result.result === "success");
    expect(successes).toHaveLength(8);
    expect(new Set(successes.map((result) => result.ticket!.id)).size).toBe(8);
  });
});

describe("Nothing is consumed by a look: peek", () => {
  it("does not use the ticket, counts each look and records opened events with the actor", async () => {
    const { ticket, record } = await issue({ uses: 1 });
    for (let i = 1; i <= 10; i++) {
      clock.advance(SECOND);
      const peeked = await service.peek(ticket, { actor: USER });
      expect(peeked.status).toBe("open");
      expect(peeked.ticket).toMatchObject({ id: record.id, openCount: i, useCount: 0, usesLeft: 1, lastUsedAt: null });
      expectSafeView(peeked.ticket, ticket);
    }
    expect(stored(record.id)).toMatchObject({ state: "open", openCount: 10, usesLeft: 1, useCount: 0 });
    const opened = (await service.get(record.id))!.events.filter((event) => event.kind === "opened");
    expect(opened).toHaveLength(10);
    opened.forEach((event, i) => expect(event).toMatchObject({ ticketId: record.id, ip: USER.ip, userAgent: USER.userAgent, at: at((i + 1) * SECOND) }));
    expect(await service.redeem(ticket, { actor: USER })).toMatchObject({ result: "success" });
  });

  it("records an opened event without an actor as anonymous", async () => {
    const { ticket, record } = await issue();
    await service.peek(ticket);
    const opened = (await service.get(record.id))!.events.find((event) => event.kind === "opened");
    expect(opened).toMatchObject({ ip: null, userAgent: null });
  });

  it("reports a used ticket as closed, and still counts the look", async () => {
    const { ticket, record } = await issue({ uses: 1 });
    await service.redeem(ticket);
    expect(await service.peek(ticket)).toMatchObject({ status: "closed", ticket: { openCount: 1, useCount: 1 } });
    expect(stored(record.id).openCount).toBe(1);
  });
});

describe("supersede", () => {
  it("marks the same owner's earlier open tickets of the same type and domain superseded, and nothing else", async () => {
    const a = await issue();
    const used = await issue({ uses: 1 });
    await service.redeem(used.ticket);
    const reset = await issue({ type: "password_reset" });
    const bob = await issue({ email: "bob@example.com" });
    const elsewhere = await issue({ domain: "lists.example.org" });
    const revoked = await issue();
    await service.revoke(revoked.record.id, "no");
    clock.advance(SECOND);
    const f = await issue({ uses: 3 });
    clock.advance(SECOND);

    const fresh = await issue({ supersede: true, requestedFrom: OTHER });
    expect([...fresh.superseded].sort()).toEqual([a.record.id, f.record.id].sort());

    for (const old of [a, f]) {
      const answer = await service.redeem(old.ticket);
      expect(answer).toMatchObject({ result: "closed", status: "superseded" });
      expect(answer.ticket).toMatchObject({ status: "superseded", supersededById: fresh.record.id, reason: expect.any(String), endedAt: at(2 * SECOND) });
      const events = (await service.get(old.record.id))!.events;
      expect(events.filter((event) => event.kind === "superseded")).toEqual([expect.objectContaining({ detail: fresh.record.id, ip: OTHER.ip, at: at(2 * SECOND) })]);
    }

    // Untouched: already used, revoked, other type, other owner, other domain.
    expect(stored(used.record.id)).toMatchObject({ state: "closed", supersededById: null });
    expect(stored(revoked.record.id)).toMatchObject({ state: "revoked", supersededById: null, reason: "no" });
    for (const other of [reset, bob, elsewhere]) {
      expect(stored(other.record.id)).toMatchObject({ state: "open", supersededById: null });
      expect((await service.redeem(other.ticket)).result).toBe("success");
    }
    expect((await service.redeem(fresh.ticket)).result).toBe("success");
  });

  it("changes nothing without supersede", async () => {
    const a = await issue();
    const fresh = await issue();
    expect(fresh.superseded).toEqual([]);
    expect(stored(a.record.id)).toMatchObject({ state: "open", supersededById: null });
    expect((await service.redeem(a.ticket)).result).toBe("success");
  });

  it("matches the owner by userId when there is no address, and never supersedes anonymous tickets", async () => {
    const u1 = await issue({ type: "api", email: null, userId: "u1" });
    const u2 = await issue({ type: "api", email: null, userId: "u2" });
    const anonymous = await issue({ type: "api", email: null, userId: null });
    const fresh = await issue({ type: "api", email: null, userId: "u1", supersede: true });
    expect(fresh.superseded).toEqual([u1.record.id]);
    expect(stored(u1.record.id).state).toBe("superseded");
    expect(stored(u2.record.id).state).toBe("open");
    const anonymousFresh = await issue({ type: "api", email: null, userId: null, supersede: true });
    expect(anonymousFresh.superseded).toEqual([]);
    expect(stored(anonymous.record.id).state).toBe("open");
  });
});

describe("revoke", () => {
  it("ends an open ticket with a reason; using it then answers closed/revoked", async () => {
    const { ticket, record } = await issue();
    clock.advance(SECOND);
    const revoked = await service.revoke(record.id, "this wasn't me", USER);
    expect(revoked).toMatchObject({ ok: true, value: { id: record.id, status: "revoked", reason: "this wasn't me", endedAt: at(SECOND) } });
    expect(revoked.ok && revoked.value).not.toHaveProperty("tokenHash");
    expect(stored(record.id)).toMatchObject({ state: "revoked", reason: "this wasn't me", endedAt: at(SECOND) });
    const events = (await service.get(record.id))!.events;
    expect(events.filter((event) => event.kind === "revoked")).toEqual([expect.objectContaining({ detail: "this wasn't me", ip: USER.ip, userAgent: USER.userAgent })]);

    const answer = await service.redeem(ticket);
    expect(answer).toMatchObject({ result: "closed", status: "revoked", usesLeft: 1 });
    expect(answer.ticket).toMatchObject({ status: "revoked", reason: "this wasn't me" });
    expect(stored(record.id).useCount).toBe(0);
  });

  it("refuses to revoke twice with NOT_OPEN", async () => {
    const { record } = await issue();
    expect((await service.revoke(record.id, "first")).ok).toBe(true);
    expect(await service.revoke(record.id, "second")).toMatchObject({ ok: false, error: { code: "NOT_OPEN" } });
    expect(stored(record.id).reason).toBe("first");
  });

  it("refuses to revoke a used-up ticket with NOT_OPEN", async () => {
    const { ticket, record } = await issue({ uses: 1 });
    await service.redeem(ticket);
    expect(await service.revoke(record.id, "late")).toMatchObject({ ok: false, error: { code: "NOT_OPEN" } });
    expect(stored(record.id)).toMatchObject({ state: "closed", reason: null });
  });

  it("answers NOT_FOUND for an unknown id", async () => {
    expect(await service.revoke("no-such-id", "x")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("revokeOpen", () => {
  it("revokes every live ticket the filter selects, each with its event, and nothing else", async () => {
    const live = await issue({ ttlSeconds: 900 });
    const lapsing = await issue({ ttlSeconds: 60 });
    const used = await issue({ uses: 1 });
    await service.redeem(used.ticket);
    const reset = await issue({ type: "password_reset" });
    const bob = await issue({ email: "bob@example.com" });
    clock.advance(2 * MINUTE);

    expect(await service.revokeOpen({ email: "ada@example.com", type: "login" }, "account closed", USER)).toBe(1);
    expect(stored(live.record.id)).toMatchObject({ state: "revoked", reason: "account closed", endedAt: at(2 * MINUTE) });
    expect((await service.get(live.record.id))!.events.filter((event) => event.kind === "revoked")).toEqual([
      expect.objectContaining({ detail: "account closed", ip: USER.ip, userAgent: USER.userAgent, at: at(2 * MINUTE) }),
    ]);
    // Past its expiry: left for its next use to record as expired, as revoke would.
    expect(stored(lapsing.record.id).state).toBe("open");
    expect(await service.redeem(lapsing.ticket)).toMatchObject({ result: "expired", status: "expired" });
    expect(stored(used.record.id)).toMatchObject({ state: "closed", reason: null });
    for (const other of [reset, bob]) expect((await service.redeem(other.ticket)).result).toBe("success");
    expect(await service.revokeOpen({ email: "ada@example.com", type: "login" }, "again")).toBe(0);
  });

  it("selects the owner's tickets by address or by account, and an owner with neither owns nothing", async () => {
    const byAddress = await issue({ email: "ada@example.com" });
    const byAccount = await issue({ email: "old@example.com", userId: "u1" });
    const other = await issue({ email: "bob@example.com", userId: "u2" });
    expect(await service.revokeOpen({ owner: {} }, "nobody")).toBe(0);
    // No filter at all is a mistake, not "everyone".
    await expect(service.revokeOpen({ email: undefined }, "everyone")).rejects.toThrow(TypeError);
    expect(await service.revokeOpen({ owner: { email: "ada@example.com", userId: "u1" } }, "account disabled")).toBe(2);
    for (const { ticket } of [byAddress, byAccount]) expect((await service.redeem(ticket)).status).toBe("revoked");
    expect((await service.redeem(other.ticket)).result).toBe("success");
  });

  it('rule "Consumption is one conditional write": a ticket used while it is revoked is used or revoked, never both', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const { ticket, record } = await issue({ email: `race${round}@example.com` });
      // The revoke starts a little later each round, so it meets the uses at
      // every step of theirs: after a few microtasks, then after whole turns
      // of the event loop (the raw store commits uses in groups, a turn later).
      const revoke = async () => {
        for (let tick = 0; tick < round; tick++) await (round % 2 === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve)));
        return service.revokeOpen({ email: `race${round}@example.com` }, "race");
      };
      const [revoked, ...uses] = await Promise.all([revoke(), ...Array.from({ length: 8 }, () => service.redeem(ticket))]);
      const successes = uses.filter((use) => use.result === "success").length;
      expect(revoked + successes).toBe(1);
      expect(stored(record.id).state).toBe(revoked === 1 ? "revoked" : "closed");
      const history = await kinds(record.id);
      expect(history.filter((kind) => kind === "used" || kind === "revoked")).toHaveLength(1);
      outcomes.add(revoked === 1 ? "revoked" : "used");
    }
    // Both sides won some rounds: the race was run, not avoided.
    expect([...outcomes].sort()).toEqual(["revoked", "used"]);
  });
});

describe("count and countLive", () => {
  it("count answers by the state the core reports; countLive counts open, unexpired tickets only", async () => {
    await issue({ type: "api", email: null, projectId: "p1", ttlSeconds: 60 });
    await issue({ type: "api", email: null, projectId: "p1", ttlSeconds: null });
    const used = await issue({ type: "api", email: null, projectId: "p1", uses: 1 });
    await service.redeem(used.ticket);
    await issue({ type: "api", email: null, projectId: "p2" });
    await issue();
    expect(await service.countLive({ projectId: "p1" })).toBe(2);
    clock.advance(60 * SECOND);
    expect(await service.countLive({ projectId: "p1" })).toBe(1);
    expect(await service.countLive()).toBe(3);
    expect(await service.count({ projectId: "p1", state: "expired" })).toBe(1);
    expect(await service.count({ projectId: "p1", state: "open" })).toBe(1);
    expect(await service.count({ state: "closed" })).toBe(1);
    expect(await service.count()).toBe(5);
  });
});

describe("delete", () => {
  it("deletes by raw ticket with its history, answering the uses it had left", async () => {
    const { ticket, record } = await issue({ uses: 3 });
    await service.redeem(ticket);
    expect(await service.delete({ ticket })).toEqual({ deleted: 1, usesLeft: 2 });
    expect(await service.redeem(ticket)).toEqual(UNKNOWN);
    expect(await service.get(record.id)).toBeNull();
    expect(held().eventLog.some((event) => event.ticketId === record.id)).toBe(false);
    expect(await service.delete({ ticket })).toEqual({ deleted: 0, usesLeft: null });
  });

  it("deletes by id", async () => {
    const { ticket, record } = await issue({ uses: null });
    expect(await service.delete({ id: record.id })).toEqual({ deleted: 1, usesLeft: null });
    expect(await service.redeem(ticket)).toEqual(UNKNOWN);
    expect(held().tickets.size).toBe(0);
  });

  it("deletes nothing for an unknown or malformed ticket or id", async () => {
    await issue();
    const before = dump();
    expect(await service.delete({ ticket: generateTicket() })).toEqual({ deleted: 0, usesLeft: null });
    expect(await service.delete({ ticket: "nope" })).toEqual({ deleted: 0, usesLeft: null });
    expect(await service.delete({ ticket: null })).toEqual({ deleted: 0, usesLeft: null });
    expect(await service.delete({ id: "no-such-id" })).toEqual({ deleted: 0, usesLeft: null });
    expect(dump()).toBe(before);
  });

  it("deletes nothing of another project", async () => {
    const { ticket, record } = await issue({ type: "api", email: null, projectId: "p1", uses: 2 });
    expect(await service.delete({ ticket }, { projectId: "p2" })).toEqual({ deleted: 0, usesLeft: null });
    expect(await service.delete({ id: record.id }, { projectId: "p2" })).toEqual({ deleted: 0, usesLeft: null });
    expect(stored(record.id)).toMatchObject({ state: "open", usesLeft: 2 });
    expect((await service.redeem(ticket, { projectId: "p1" })).result).toBe("success");
    expect(await service.delete({ ticket }, { projectId: "p1" })).toEqual({ deleted: 1, usesLeft: 1 });
  });
});

describe("cleanup", () => {
  it("removes tickets that ended, or expired unopened, longer ago than the retention, with their events", async () => {
    // At START.
    const oldClosed = await issue({ email: "ada@example.com", uses: 1 });
    const oldRevoked = await issue({ email: "bob@example.com" });
    const oldSuperseded = await issue({ type: "password_reset", email: "carol@example.com", ttlSeconds: null });
    const oldExpiredNoted = await issue({ email: "dan@example.com", ttlSeconds: 60 });
    const lapsedOpen = await issue({ email: "eve@example.com", ttlSeconds: 60 });
    const openForever = await issue({ type: "api", email: null, ttlSeconds: null, uses: null });
    const openLong = await issue({ email: "fay@example.com", ttlSeconds: 7 * 24 * 3600 });
    clock.set(at(10 * SECOND));
    await service.redeem(oldClosed.ticket);
    clock.set(at(20 * SECOND));
    await service.revoke(oldRevoked.record.id, "cancelled");
    clock.set(at(30 * SECOND));
    const superseder = await issue({ type: "password_reset", email: "carol@example.com", ttlSeconds: null, supersede: true });
    clock.set(at(61 * SECOND));
    await service.peek(oldExpiredNoted.ticket);

    // Two hours later.
    clock.set(at(2 * HOUR));
    const recentClosed = await issue({ email: "gus@example.com", uses: 1 });
    await service.redeem(recentClosed.ticket);
    const recentRevoked = await issue({ email: "hal@example.com" });
    await service.revoke(recentRevoked.record.id, "cancelled");
    const recentLapsed = await issue({ email: "ivy@example.com", ttlSeconds: 60 });

    clock.set(at(2 * HOUR + 30 * MINUTE));
    const removedIds = [oldClosed, oldRevoked, oldSuperseded, oldExpiredNoted, lapsedOpen].map((value) => value.record.id);
    const keptIds = [openForever, openLong, superseder, recentClosed, recentRevoked, recentLapsed].map((value) => value.record.id);
    expect(held().tickets.size).toBe(11);

    const report = await service.cleanup(3600);
    expect(report).toEqual({ removed: 5, byState: { closed: 1, revoked: 1, superseded: 1, expired: 2 } });
    expect([...held().tickets.keys()].sort()).toEqual([...keptIds].sort());
    for (const id of removedIds) {
      expect(await service.get(id)).toBeNull();
      expect(held().eventLog.some((event) => event.ticketId === id)).toBe(false);
    }
    expect(await kinds(recentClosed.record.id)).toEqual(["issued", "used"]);
    expect(await kinds(superseder.record.id)).toEqual(["issued"]);

    // Nothing left to remove; the open tickets are still usable.
    expect(await service.cleanup(3600)).toEqual({ removed: 0, byState: {} });
    expect((await service.redeem(openForever.ticket)).result).toBe("success");
    expect((await service.redeem(openLong.ticket)).result).toBe("success");
  });

  it("keeps a ticket that ended exactly the retention ago, and removes it a millisecond later", async () => {
    const revoked = await issue();
    await service.revoke(revoked.record.id, "x");
    const lapsed = await issue({ ttlSeconds: 60 });
    clock.set(at(3600 * SECOND));
    expect(await service.cleanup(3600)).toEqual({ removed: 0, byState: {} });
    clock.advance(1);
    expect(await service.cleanup(3600)).toEqual({ removed: 1, byState: { revoked: 1 } });
    clock.set(at(60 * SECOND + 3600 * SECOND));
    expect(await service.cleanup(3600)).toEqual({ removed: 0, byState: {} });
    clock.advance(1);
    expect(await service.cleanup(3600)).toEqual({ removed: 1, byState: { expired: 1 } });
    expect(held().tickets.has(lapsed.record.id)).toBe(false);
  });

  it("with retention 0 removes every ended ticket but never an open unexpired one", async () => {
    const used = await issue({ uses: 1 });
    await service.redeem(used.ticket);
    const open = await issue({ ttlSeconds: null });
    clock.advance(1);
    expect(await service.cleanup(0)).toEqual({ removed: 1, byState: { closed: 1 } });
    expect([...held().tickets.keys()]).toEqual([open.record.id]);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])("refuses the retention %s", async (retention) => {
    await expect(service.cleanup(retention)).rejects.toThrow(RangeError);
  });
});

describe("get and list", () => {
  it("get returns the ticket with its events in order", async () => {
    const { ticket, record } = await issue({ uses: 2 });
    clock.advance(SECOND);
    await service.peek(ticket, { actor: USER });
    clock.advance(SECOND);
    await service.redeem(ticket, { actor: USER });
    clock.advance(SECOND);
    await service.redeem(ticket, { actor: OTHER });
    clock.advance(SECOND);
    await service.redeem(ticket, { actor: OTHER });
    const got = await service.get(record.id);
    expect(got?.ticket).toMatchObject({ id: record.id, status: "closed", useCount: 2, openCount: 1 });
    expectSafeView(got?.ticket, ticket);
    expect(got?.events.map((event) => [event.kind, event.at.getTime() - START.getTime(), event.ip])).toEqual([
      ["issued", 0, ISSUER.ip],
      ["opened", 1000, USER.ip],
      ["used", 2000, USER.ip],
      ["used", 3000, OTHER.ip],
      ["refused", 4000, OTHER.ip],
    ]);
  });

  it("get answers null for an unknown id", async () => {
    expect(await service.get("no-such-id")).toBeNull();
  });

  describe("list filters", () => {
    let ids: Record<string, string>;
    let tickets: Record<string, string>;
    let created: Record<string, Date>;

    beforeEach(async () => {
      ids = {};
      tickets = {};
      created = {};
      const plan: [string, Partial<IssueInput>][] = [
        ["a1", { email: "ada@example.com", ttlSeconds: 60 }],
        ["a2", { email: "ada@example.com", ttlSeconds: null }],
        ["a3", { type: "password_reset", email: "ada@example.com", ttlSeconds: 3600 }],
        ["b1", { email: "bob@example.org", ttlSeconds: 3600 }],
        ["b2", { email: "bob@example.org", domain: "lists.example.org", ttlSeconds: 3600, uses: 1 }],
        ["p1", { type: "api", email: null, projectId: "p1", ttlSeconds: 3600 }],
        ["p2", { type: "api", email: null, projectId: "p2", userId: "u2", ttlSeconds: 3600 }],
        ["a4", { email: "ada@example.com", ttlSeconds: 30 }],
      ];
      for (const [name, extra] of plan) {
        const issued = await issue(extra);
        ids[name] = issued.record.id;
        tickets[name] = issued.ticket;
        created[name] = issued.record.createdAt;
        clock.advance(SECOND);
      }
      await service.revoke(ids.b1!, "x");
      await service.redeem(tickets.b2!);
      clock.advance(2 * MINUTE);
      await service.peek(tickets.a4!); // notes a4's expiry; a1 stays open in the store, expired by time
    });

    async function names(filter: Parameters<TicketService["list"]>[0]): Promise<string[]> {
      const { items, nextCursor } = await service.list(filter);
      expect(nextCursor).toBeNull();
      const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
      return items.map((item) => byId.get(item.id) ?? item.id);
    }

    it("lists everything newest first", async () => {
      expect(await names({})).toEqual(["a4", "p2", "p1", "b2", "b1", "a3", "a2", "a1"]);
    });

    it("by state: open excludes expired-by-time, expired includes it", async () => {
      expect(stored(ids.a1!).state).toBe("open");
      expect(await names({ state: "open" })).toEqual(["p2", "p1", "a3", "a2"]);
      expect(await names({ state: "expired" })).toEqual(["a4", "a1"]);
      expect(await names({ state: "revoked" })).toEqual(["b1"]);
      expect(await names({ state: "closed" })).toEqual(["b2"]);
      expect(await names({ state: "superseded" })).toEqual([]);
      const { items } = await service.list({ state: "expired" });
      expect(items.map((item) => item.status)).toEqual(["expired", "expired"]);
    });

    it("by type, email, e-mail substring, domain, project and user", async () => {
      expect(await names({ type: "login" })).toEqual(["a4", "b2", "b1", "a2", "a1"]);
      expect(await names({ type: "api" })).toEqual(["p2", "p1"]);
      expect(await names({ email: "ada@example.com" })).toEqual(["a4", "a3", "a2", "a1"]);
      expect(await names({ email: "ada@example" })).toEqual([]);
      expect(await names({ emailContains: "BOB" })).toEqual(["b2", "b1"]);
      expect(await names({ emailContains: "example.org" })).toEqual(["b2", "b1"]);
      expect(await names({ emailContains: "nobody" })).toEqual([]);
      expect(await names({ domain: "lists.example.org" })).toEqual(["b2"]);
      expect(await names({ domain: "example.com" })).toEqual(["a4", "p2", "p1", "b1", "a3", "a2", "a1"]);
      expect(await names({ projectId: "p1" })).toEqual(["p1"]);
      expect(await names({ userId: "u2" })).toEqual(["p2"]);
    });

    it("by creation date: from inclusive, to exclusive", async () => {
      expect(await names({ createdFrom: created.a3!, createdTo: created.p1! })).toEqual(["b2", "b1", "a3"]);
      expect(await names({ createdFrom: new Date(created.a3!.getTime() + 1) })).toEqual(["a4", "p2", "p1", "b2", "b1"]);
      expect(await names({ createdTo: created.a1! })).toEqual([]);
    });

    it("combines filters", async () => {
      expect(await names({ state: "open", type: "login" })).toEqual(["a2"]);
      expect(await names({ state: "expired", email: "ada@example.com" })).toEqual(["a4", "a1"]);
      expect(await names({ type: "api", projectId: "p2", state: "open" })).toEqual(["p2"]);
    });

    it("views carry no token hash and no raw ticket", async () => {
      const { items } = await service.list({});
      for (const item of items) {
        const name = Object.entries(ids).find(([, id]) => id === item.id)![0];
        expectSafeView(item, tickets[name]!);
      }
    });
  });

  describe("pagination", () => {
    async function walk(limit: number, filter: Parameters<TicketService["list"]>[0] = {}) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<TicketService["list"]>> = await service.list(filter, { limit, cursor });
        sizes.push(page.items.length);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== null && sizes.length < 100);
      return { seen, sizes };
    }

    it("walks 25 tickets by pages of 10, newest first, without duplicates or gaps", async () => {
      const issued: string[] = [];
      for (let i = 0; i < 25; i++) {
        issued.push((await issue({ email: `user${i}@example.com` })).record.id);
        clock.advance(SECOND);
      }
      const { seen, sizes } = await walk(10);
      expect(sizes).toEqual([10, 10, 5]);
      expect(seen).toEqual([...issued].reverse());
      expect(new Set(seen).size).toBe(25);
    });

    it("ends without an empty page when the last page is full", async () => {
      for (let i = 0; i < 20; i++) {
        await issue();
        clock.advance(SECOND);
      }
      expect((await walk(10)).sizes).toEqual([10, 10]);
    });

    it("walks tickets created in the same millisecond without duplicates or gaps", async () => {
      const issued: string[] = [];
      for (let i = 0; i < 7; i++) issued.push((await issue()).record.id);
      const { seen, sizes } = await walk(2);
      expect(sizes).toEqual([2, 2, 2, 1]);
      expect(new Set(seen).size).toBe(7);
      expect([...seen].sort()).toEqual([...issued].sort());
      // Same time: ordered by id, descending.
      expect(seen).toEqual([...issued].sort().reverse());
    });

    it("keeps its place when newer tickets arrive between pages", async () => {
      const issued: string[] = [];
      for (let i = 0; i < 12; i++) {
        issued.push((await issue()).record.id);
        clock.advance(SECOND);
      }
      const first = await service.list({}, { limit: 5 });
      for (let i = 0; i < 3; i++) {
        await issue();
        clock.advance(SECOND);
      }
      const second = await service.list({}, { limit: 5, cursor: first.nextCursor });
      expect(second.items.map((item) => item.id)).toEqual([...issued].reverse().slice(5, 10));
    });

    it("pages through a filtered list", async () => {
      const logins: string[] = [];
      for (let i = 0; i < 15; i++) {
        const { record } = await issue({ type: i % 3 === 0 ? "password_reset" : "login" });
        if (record.type === "login") logins.push(record.id);
        clock.advance(SECOND);
      }
      const { seen, sizes } = await walk(4, { type: "login" });
      expect(sizes).toEqual([4, 4, 2]);
      expect(seen).toEqual([...logins].reverse());
    });

    it("clamps the limit to 1..200 and defaults to 50", async () => {
      for (let i = 0; i < 205; i++) await issue();
      const all = await service.list({}, { limit: 1000 });
      expect(all.items).toHaveLength(200);
      expect(all.nextCursor).not.toBeNull();
      expect((await service.list()).items).toHaveLength(50);
      expect((await service.list({}, { limit: 0 })).items).toHaveLength(1);
      expect((await service.list({}, { limit: -5 })).items).toHaveLength(1);
      expect((await service.list({}, { limit: 2.7 })).items).toHaveLength(2);
      expect((await service.list({}, { limit: Number.POSITIVE_INFINITY })).items).toHaveLength(200);
    });

    it("falls back to the default limit when the limit is not a number", async () => {
      for (let i = 0; i < 60; i++) await issue();
      const page = await service.list({}, { limit: Number.NaN });
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    });
  });
});

describe("redeemById (the typed code stands for a ticket by its id)", () => {
  it("spends the same ticket as the link would, exactly once", async () => {
    const { ticket, record } = await issue();
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => service.redeemById(record.id, { actor: USER })));
    expect(results.filter((r) => r.result === "success")).toHaveLength(1);
    expect((await service.redeem(ticket)).status).toBe("closed");
  });

  it("answers an unknown id like an unknown ticket", async () => {
    expect(await service.redeemById("no-such-id")).toEqual(UNKNOWN);
  });

  it("honours the domain and type filters", async () => {
    const { record } = await issue();
    expect((await service.redeemById(record.id, { domain: "other.example" })).status).toBe("unknown");
    expect((await service.redeemById(record.id, { types: ["password_reset"] })).result).toBe("error");
    expect((await service.redeemById(record.id, { types: ["login"] })).result).toBe("success");
  });
});

describe("a quiet peek", () => {
  it("reports the state without recording an opened event or counting an open", async () => {
    const { ticket, record } = await issue();
    expect(await service.peek(ticket, { quiet: true })).toMatchObject({ status: "open", ticket: { id: record.id, openCount: 0 } });
    const detail = await service.get(record.id);
    expect(detail!.events.map((e) => e.kind)).toEqual(["issued"]);
    expect(detail!.ticket.openCount).toBe(0);
  });
});
