// A project's live-ticket limit under parallel creates over real HTTP, on a
// real database: exact within one instance, after deletes, and shared by two
// instances (each with its own database client and ticket store) on one database.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiHandler } from "@/lib/api/handler";
import { createKeyResolver, createLiveTicketCounter, createProject } from "@/lib/api/projects";
import { type Db, createDb } from "@/lib/db/client";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const PARALLEL = 40;
const LIMIT = 5;

describe.each(engines)("the live-ticket limit under parallel creates on %s", (engine) => {
  let t: TestDatabase;
  let now = Date.parse("2026-11-24T09:00:00.000Z");
  const instances: { server: Server; base: string; db: Db; store: OpenedTicketStore }[] = [];

  /** One API runtime as server.ts wires it: its own database client, ticket store, key cache and counter. */
  async function startInstance() {
    const db = engine === "sqlite" ? createDb(t.url) : createDb(t.url, { schema: t.schema, poolSize: 16 });
    const store = openTicketStore(t.url, db, { schema: t.schema });
    const tickets = createTicketService({ store: store.store, actionPaths: createActionPathRegistry([]), clock: { now: () => new Date(now) } });
    const handle = createApiHandler({ tickets, keys: createKeyResolver(db, { now: () => now }), live: createLiveTicketCounter(db), trustProxy: false });
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    instances.push({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, db, store });
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 16 });
    await startInstance();
    await startInstance();
  });
  afterAll(async () => {
    for (const { server, db, store } of instances) {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      await db.$disconnect();
    }
    await t?.drop();
  });

  async function call(base: string, path: string, key: string, body: unknown) {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** `count` creates at once, spread over `bases` in turn; the tickets created and the refusals. */
  async function createInParallel(key: string, count: number, bases = [instances[0]!.base]) {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => call(bases[i % bases.length]!, "/v1/tickets", key, { ttl: 600 })));
    const refused = answers.filter((a) => a.status === 403 && a.body.code === 102009);
    const created = answers.filter((a) => a.status === 200).map((a) => a.body.ticket as string);
    expect(created.length + refused.length, JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 403))).toBe(count);
    return { created, refused: refused.length };
  }

  async function storedFor(projectId: string) {
    return t.db.ticket.count({ where: { projectId } });
  }

  it(`${PARALLEL} parallel creates against a limit of ${LIMIT} create exactly ${LIMIT}; the others answer 102009`, async () => {
    const { project, key } = await createProject(t.db, "parallel", { maxLiveTickets: LIMIT });
    const { created, refused } = await createInParallel(key, PARALLEL);
    expect(created).toHaveLength(LIMIT);
    expect(refused).toBe(PARALLEL - LIMIT);
    expect(await storedFor(project.id)).toBe(LIMIT);
  });

  it(`after deleting 2 of ${LIMIT}, ${PARALLEL} parallel creates create exactly 2 more`, async () => {
    const { project, key } = await createProject(t.db, "after-deletes", { maxLiveTickets: LIMIT });
    const first = await createInParallel(key, PARALLEL);
    expect(first.created).toHaveLength(LIMIT);
    for (const ticket of first.created.slice(0, 2)) expect((await call(instances[0]!.base, "/v1/tickets/delete", key, { ticket })).body.deleted).toBe(1);

    const second = await createInParallel(key, PARALLEL);
    expect(second.created).toHaveLength(2);
    expect(second.refused).toBe(PARALLEL - 2);
    expect(await storedFor(project.id)).toBe(LIMIT);
  });

  it(`two instances on one database share the limit: ${PARALLEL} parallel creates split between them create exactly ${LIMIT}, also after deletes through the other`, async () => {
    const { project, key } = await createProject(t.db, "two-instances", { maxLiveTickets: LIMIT });
    const bases = instances.map((instance) => instance.base);
    const first = await createInParallel(key, PARALLEL, bases);
    expect(first.created).toHaveLength(LIMIT);
    expect(await storedFor(project.id)).toBe(LIMIT);

    // A delete through one instance frees a place for the other.
    for (const ticket of first.created.slice(0, 2)) expect((await call(bases[1]!, "/v1/tickets/delete", key, { ticket })).body.deleted).toBe(1);
    const second = await createInParallel(key, PARALLEL, bases);
    expect(second.created).toHaveLength(2);
    expect(await storedFor(project.id)).toBe(LIMIT);

    // An instance that found the project full recounts after a second at the latest.
    expect((await call(bases[1]!, "/v1/tickets/delete", key, { ticket: second.created[0] })).body.deleted).toBe(1);
    now += 1_000;
    const third = await createInParallel(key, PARALLEL, [bases[0]!]);
    expect(third.created).toHaveLength(1);
    expect(await storedFor(project.id)).toBe(LIMIT);
  });
});
