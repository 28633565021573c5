// The /v1 tickets API over real HTTP, on a real database: the Authen shapes,
// every error code, project isolation, limits, and exactly-once under 64
// parallel uses.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { API_ERRORS, type ApiErrorCode } from "@/lib/api/errors";
import { createApiHandler } from "@/lib/api/handler";
import { createKeyResolver, createLiveTicketCounter, createProject, revokeApiKey } from "@/lib/api/projects";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { createActionPathRegistry, createTicketService, hashTicket } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const PARALLEL = 64;

describe.each(engines)("the /v1 tickets API on %s", (engine) => {
  let t: TestDatabase;
  let server: Server;
  let store: OpenedTicketStore;
  let base: string;
  let now = Date.parse("2026-11-24T09:00:00.000Z");
  const keys: Record<"a" | "b" | "small" | "tiny" | "disabled" | "revoked", string> = { a: "", b: "", small: "", tiny: "", disabled: "", revoked: "" };

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 16 });
    const clock = { now: () => new Date(now) };
    // The store production uses on this engine (the raw one on SQLite).
    store = openTicketStore(t.url, t.db, { schema: t.schema });
    const tickets = createTicketService({ store: store.store, actionPaths: createActionPathRegistry(["account"]), clock });
    keys.a = (await createProject(t.db, "crm")).key;
    keys.b = (await createProject(t.db, "billing")).key;
    keys.small = (await createProject(t.db, "small", { maxLiveTickets: 2, defaultTtl: 30 })).key;
    keys.tiny = (await createProject(t.db, "tiny", { maxPayloadBytes: 16 })).key;
    const disabled = await createProject(t.db, "off");
    await t.db.apiProject.update({ where: { id: disabled.project.id }, data: { disabled: true } });
    keys.disabled = disabled.key;
    const revoked = await createProject(t.db, "revoked");
    await revokeApiKey(t.db, revoked.project.keys[0]!.id);
    keys.revoked = revoked.key;

    const handle = createApiHandler({
      tickets,
      // No caching in tests: each request sees the database as it is.
      keys: createKeyResolver(t.db, { cacheMs: 0, now: () => now }),
      live: createLiveTicketCounter(t.db),
      trustProxy: false,
      maxBodyBytes: 8_192,
    });
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
    await t?.drop();
  });

  async function call(path: string, body: unknown, key: string | null = keys.a, init: RequestInit = {}) {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  async function create(body: unknown = {}, key = keys.a): Promise<string> {
    const res = await call("/v1/tickets", body, key);
    expect(res.status).toBe(200);
    return res.body.ticket as string;
  }

  function expectError(res: { status: number; body: Record<string, unknown> }, code: ApiErrorCode) {
    expect(res.body).toMatchObject({ code, error: expect.any(String) });
    expect(res.status).toBe(API_ERRORS[code].status);
  }

  describe("the seed's shapes", () => {
    it("create → {ticket}; use → {uses, payload} until used up; the third use is 102011", async () => {
      const ticket = await create({ uses: 2, ttl: 50, payload: { user_id: 9001 } });
      expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await call("/v1/tickets/use", { ticket })).toMatchObject({ status: 200, body: { uses: 1, payload: { user_id: 9001 } } });
      expect(await call("/v1/tickets/use", { ticket })).toMatchObject({ status: 200, body: { uses: 0, payload: { user_id: 9001 } } });
      expectError(await call("/v1/tickets/use", { ticket }), 102011);
    });

    it("defaults: one use, the project's ttl (60 s), no payload", async () => {
      const ticket = await create();
      // By its hash: the tests' clock stands still, so "the newest" is no one row.
      const row = await t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } });
      expect(row).toMatchObject({ type: "api", usesLeft: 1, maxUses: 1, payload: null, email: null });
      expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(60_000);
      expect(await call("/v1/tickets/use", { ticket })).toMatchObject({ status: 200, body: { uses: 0, payload: null } });
    });

    it("0 means unlimited uses and no expiry", async () => {
      const ticket = await create({ uses: 0, ttl: 0, payload: "x" });
      for (let i = 0; i < 3; i++) expect(await call("/v1/tickets/use", { ticket })).toMatchObject({ status: 200, body: { uses: null, payload: "x" } });
      now += 10 * 365 * 86_400_000;
      expect((await call("/v1/tickets/use", { ticket })).status).toBe(200);
    });

    it("delete → {uses, deleted: 1}, then {deleted: 0}, and the ticket is gone", async () => {
      const ticket = await create({ uses: 3 });
      expect(await call("/v1/tickets/delete", { ticket })).toEqual({ status: 200, headers: expect.anything(), body: { uses: 3, deleted: 1 } });
      expect((await call("/v1/tickets/delete", { ticket })).body).toEqual({ uses: null, deleted: 0 });
      expectError(await call("/v1/tickets/use", { ticket }), 102011);
    });

    it("accepts the key as Bearer, bare, or X-Api-Key, and answers no-store JSON", async () => {
      const ticket = await create();
      const bare = await fetch(`${base}/v1/tickets/use`, { method: "POST", headers: { Authorization: keys.a }, body: JSON.stringify({ ticket }) });
      expect(bare.status).toBe(200);
      expect(bare.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(bare.headers.get("cache-control")).toBe("no-store");
      const viaHeader = await fetch(`${base}/v1/tickets`, { method: "POST", headers: { "X-Api-Key": keys.a }, body: "{}" });
      expect(viaHeader.status).toBe(200);
    });
  });

  describe("errors", () => {
    it("102011 is the same answer for unknown, used up, expired and deleted tickets", async () => {
      const used = await create();
      await call("/v1/tickets/use", { ticket: used });
      const expiring = await create({ ttl: 5 });
      now += 5_000;
      const deleted = await create();
      await call("/v1/tickets/delete", { ticket: deleted });
      const answers = await Promise.all(["A".repeat(43), "not even a ticket", used, expiring, deleted].map((ticket) => call("/v1/tickets/use", { ticket })));
      for (const answer of answers) expectError(answer, 102011);
      expect(new Set(answers.map((a) => JSON.stringify([a.status, a.body]))).size).toBe(1);
    });

    it("2003 for a body that is not JSON", async () => {
      expectError(await call("/v1/tickets", "{ticket:"), 2003);
      expectError(await call("/v1/tickets/use", "ticket=abc"), 2003);
    });

    it("1000 lists each invalid field with its own code", async () => {
      const res = await call("/v1/tickets", { ttl: "60", uses: -1 });
      expectError(res, 1000);
      expect(res.body.invalid).toEqual([
        { field: "ttl", code: 1005, error: expect.stringContaining("ttl has the wrong type") },
        { field: "uses", code: 1006, error: expect.stringContaining("uses is below the minimum") },
      ]);
      expect((await call("/v1/tickets", { ttl: 1e12 })).body.invalid).toEqual([expect.objectContaining({ field: "ttl", code: 1007 })]);
      expect((await call("/v1/tickets", { uses: 1.5 })).body.invalid).toEqual([expect.objectContaining({ field: "uses", code: 1005 })]);
      expect((await call("/v1/tickets", [])).body.invalid).toEqual([expect.objectContaining({ field: "body", code: 1005 })]);
      expect((await call("/v1/tickets/use", {})).body.invalid).toEqual([expect.objectContaining({ field: "ticket", code: 1002 })]);
      expect((await call("/v1/tickets/delete", { ticket: 5 })).body.invalid).toEqual([expect.objectContaining({ field: "ticket", code: 1005 })]);
    });

    it("401 (2001) for a missing, wrong or revoked key, before the body is read", async () => {
      for (const key of [null, "tg_wrong", "not-a-key", keys.revoked]) {
        const res = await call("/v1/tickets", "this is not JSON", key);
        expectError(res, 2001);
        expect(res.headers.get("www-authenticate")).toContain("Bearer");
      }
    });

    it("403 (2002) for a disabled project", async () => {
      expectError(await call("/v1/tickets", {}, keys.disabled), 2002);
    });

    it("102009 when the project holds its maximum of live tickets; used and expired ones do not count", async () => {
      const first = await create({ ttl: 10 }, keys.small);
      await create({}, keys.small);
      expectError(await call("/v1/tickets", {}, keys.small), 102009);
      await call("/v1/tickets/use", { ticket: first }, keys.small);
      const third = await create({ ttl: 10 }, keys.small);
      expectError(await call("/v1/tickets", {}, keys.small), 102009);
      now += 10_000;
      expect(third).toBeTruthy();
      await create({}, keys.small);
    });

    it("102010 when the payload exceeds the project's maximum, and nothing is stored", async () => {
      const before = await t.db.ticket.count();
      expectError(await call("/v1/tickets", { payload: "x".repeat(15) }, keys.tiny), 102010);
      expect(await t.db.ticket.count()).toBe(before);
      // 16 bytes of JSON text ("\"xxxxxxxxxxxxxx\"") is exactly the cap.
      const within = await call("/v1/tickets/delete", { ticket: await create({ payload: "x".repeat(14) }, keys.tiny) }, keys.tiny);
      expect(within.body.deleted).toBe(1);
    });

    it("413 (2004) for a body over the hard limit, refused before parsing", async () => {
      const before = await t.db.ticket.count();
      expectError(await call("/v1/tickets", { payload: "x".repeat(10_000) }), 2004);
      expect(await t.db.ticket.count()).toBe(before);
    });

    it("405 (2005) for other methods and 404 (2006) for other routes", async () => {
      const get = await fetch(`${base}/v1/tickets`, { headers: { Authorization: `Bearer ${keys.a}` } });
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("POST");
      expect(((await get.json()) as { code: number }).code).toBe(2005);
      expectError(await call("/v1/nothing", {}), 2006);
    });
  });

  it("a project sees and uses only its own tickets: another project's ticket answers 102011", async () => {
    const ticket = await create({ uses: 1, payload: { secret: true } }, keys.a);
    expectError(await call("/v1/tickets/use", { ticket }, keys.b), 102011);
    expect((await call("/v1/tickets/delete", { ticket }, keys.b)).body).toEqual({ uses: null, deleted: 0 });
    expect(await call("/v1/tickets/use", { ticket }, keys.a)).toMatchObject({ status: 200, body: { uses: 0, payload: { secret: true } } });
  });

  it(`Consumption is one conditional write: ${PARALLEL} parallel uses over HTTP give exactly one 200`, async () => {
    const ticket = await create({ uses: 1, payload: 1 });
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => call("/v1/tickets/use", { ticket })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404 && a.body.code === 102011)).toHaveLength(PARALLEL - 1);
  });

  it(`a ticket with 5 uses under ${PARALLEL} parallel uses over HTTP gives exactly 5`, async () => {
    const ticket = await create({ uses: 5 });
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => call("/v1/tickets/use", { ticket })));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.map((a) => a.body.uses).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("never answers 500 to random bodies, and writes no partial rows", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['{"ticket":', '{"ttl":', '{"uses":', '{"payload":', "[", "]", "{", "}", '"', "-1", "1e309", "null", "true", "\u0000", "\\u0000", "𝄞", ",", ":", "9".repeat(30), '"__proto__"', "{}"];
    const before = await t.db.ticket.count({ where: { payload: { not: null } } });
    for (let i = 0; i < 400; i++) {
      const body = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      const path = ["/v1/tickets", "/v1/tickets/use", "/v1/tickets/delete"][i % 3]!;
      const res = await call(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(res.body).toHaveProperty(res.status === 200 ? (path === "/v1/tickets" ? "ticket" : "uses") : "code");
    }
    // Whatever was created was created whole: every api ticket has the row of its issue, and none is over-spent.
    const partial = await t.db.ticket.count({ where: { type: "api", OR: [{ projectId: null }, { requestedFromIp: null }, { useCount: { gt: 1 }, maxUses: 1 }] } });
    expect(partial).toBe(0);
    expect(await t.db.ticket.count({ where: { payload: { not: null } } })).toBeGreaterThanOrEqual(before);
  });

  describe("the OpenAPI document matches the implementation", () => {
    it("is served at /v1/openapi.json as OpenAPI 3.1", async () => {
      const res = await fetch(`${base}/v1/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths).sort()).toEqual(["/v1/tickets", "/v1/tickets/delete", "/v1/tickets/use"]);
    });

    it("every documented error of every route is what that route really answers", async () => {
      const doc = (await (await fetch(`${base}/v1/openapi.json`)).json()) as {
        paths: Record<string, { post: { responses: Record<string, { "x-error-codes"?: number[] }> } }>;
      };
      // A request that provokes each code on a given route.
      const provoke: Record<number, (path: string) => Promise<{ status: number; body: Record<string, unknown> }>> = {
        1000: (path) => call(path, path === "/v1/tickets" ? { ttl: "x" } : {}),
        2001: (path) => call(path, {}, null),
        2002: (path) => call(path, {}, keys.disabled),
        2003: (path) => call(path, "{"),
        2004: (path) => call(path, { payload: "x".repeat(10_000), ticket: "x" }),
        102009: async (path) => {
          const fill = async () => (await call(path, {}, keys.small)).status === 200;
          while (await fill());
          return call(path, {}, keys.small);
        },
        102010: (path) => call(path, { payload: "x".repeat(100) }, keys.tiny),
        102011: (path) => call(path, { ticket: "B".repeat(43) }),
      };
      // 5000 and 5003 cannot be provoked by a client; the handler's unit of truth is the shared table.
      const unprovokable = new Set([5000, 5003]);
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [status, response] of Object.entries(item.post.responses)) {
          for (const code of response["x-error-codes"] ?? []) {
            if (unprovokable.has(code)) {
              expect(API_ERRORS[code as ApiErrorCode].status).toBe(Number(status));
              continue;
            }
            const res = await provoke[code]!(path);
            expect({ path, code: res.body.code, status: res.status }).toEqual({ path, code, status: Number(status) });
          }
        }
      }
    });
  });
});
