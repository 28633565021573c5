// Fault test: the PostgreSQL connection drops under a running app. Requests
// must fail with a clear 503 (not hang, not 500) while it is down, and the
// same process must recover by itself once it is back — no restart. The line
// is cut by a loopback TCP proxy between the app and the real server.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiHandler } from "@/lib/api/handler";
import { createKeyResolver, createLiveTicketCounter, createProject } from "@/lib/api/projects";
import type { Db } from "@/lib/db/client";
import { PrismaTicketStore } from "@/lib/db/prisma-ticket-store";
import { checkHealth } from "@/lib/health";
import { createOutageProbe } from "@/lib/http/outage";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";

import type { TestDatabase } from "../support/databases";
import { type ProxiedPostgres, createProxiedPostgres } from "../support/proxied-postgres";
import type { TcpProxy } from "../support/tcp-proxy";

const postgresUrl = process.env.TEST_POSTGRES_URL;

describe.runIf(postgresUrl)("PostgreSQL connection dropped under a running API", () => {
  let line: ProxiedPostgres;
  let t: TestDatabase;
  let proxy: TcpProxy;
  let app: Db;
  let server: Server;
  let base: string;
  let key: string;

  beforeAll(async () => {
    // The app's own client goes through the proxy; the test's (t.db) goes direct.
    line = await createProxiedPostgres(postgresUrl!, 4);
    ({ t, proxy, app } = line);
    key = (await createProject(t.db, "fault")).key;
    const handle = createApiHandler({
      tickets: createTicketService({ store: new PrismaTicketStore(app), actionPaths: createActionPathRegistry(["account"]) }),
      keys: createKeyResolver(app, { cacheMs: 0 }),
      live: createLiveTicketCounter(app),
      trustProxy: false,
      onError: () => {},
    });
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await line?.close();
  });

  async function call(path: string, body: unknown) {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("answers 503 (code 5003) while the database is gone, and recovers without a restart", { timeout: 60_000 }, async () => {
    const before = await call("/v1/tickets", { uses: 1, ttl: 600 });
    expect(before.status).toBe(200);
    const ticket = before.body.ticket as string;
    expect((await checkHealth(app, "postgresql", new Date(), { timeoutMs: 30_000 })).status).toBe("ok");

    proxy.cut();
    for (const [path, body] of [["/v1/tickets", {}], ["/v1/tickets/use", { ticket }], ["/v1/tickets/delete", { ticket }]] as const) {
      const down = await call(path, body);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: 5003, error: expect.any(String) });
    }
    expect(await checkHealth(app, "postgresql")).toEqual({ status: "unavailable", database: { engine: "postgresql", reachable: false }, mail: null });
    // server.ts's probe (pages then answer 503, not 500) sees it too.
    const probe = createOutageProbe(() => app.$queryRaw`SELECT 1`, { intervalMs: 60_000 });
    expect(await probe.probeNow()).toBe(true);

    proxy.restore();
    // The pool may still hand out a connection that died with the cut: allow a few 503s, then it must heal.
    let used: { status: number; body: Record<string, unknown> } | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      used = await call("/v1/tickets/use", { ticket });
      if (used.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The ticket made before the outage is spent exactly once, after it.
    expect(used).toMatchObject({ status: 200, body: { uses: 0 } });
    expect((await call("/v1/tickets/use", { ticket })).body).toMatchObject({ code: 102011 });
    expect((await call("/v1/tickets", {})).status).toBe(200);
    expect((await checkHealth(app, "postgresql", new Date(), { timeoutMs: 30_000 })).status).toBe("ok");
    expect(await probe.probeNow()).toBe(false);
    probe.stop();
  });
});
