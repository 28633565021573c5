// Fault test: the network to PostgreSQL stops passing packets without closing
// anything (a firewall drops them). /api/health must still answer — 503, in
// under two seconds — so a supervisor that restarts processes which stop
// answering (lib/process/supervisor.ts) does not take a live process for a
// hung one and restart the whole fleet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { HEALTH_TIMEOUT_MS, checkHealth } from "@/lib/health";

import { type ProxiedPostgres, createProxiedPostgres } from "../support/proxied-postgres";
import type { TcpProxy } from "../support/tcp-proxy";

const postgresUrl = process.env.TEST_POSTGRES_URL;

describe.runIf(postgresUrl)("health while PostgreSQL's packets are dropped", () => {
  let line: ProxiedPostgres;
  let proxy: TcpProxy;
  let app: Db;

  beforeAll(async () => {
    line = await createProxiedPostgres(postgresUrl!, 2);
    ({ proxy, app } = line);
  });
  afterAll(async () => line?.close());

  it("answers 'unavailable' within its timeout, then 'ok' again once packets flow", async () => {
    // The first check also opens the pool's connection: on a busy machine that alone may take a while.
    await expect.poll(async () => (await checkHealth(app, "postgresql")).status, { timeout: 20_000, interval: 250 }).toBe("ok");
    proxy.stall();
    const started = performance.now();
    const stalled = await checkHealth(app, "postgresql");
    const waited = performance.now() - started;
    expect(stalled).toEqual({ status: "unavailable", database: { engine: "postgresql", reachable: false }, mail: null });
    // A bound on liveness, not a speed goal: without the timeout this call never returns.
    expect(waited).toBeLessThan(HEALTH_TIMEOUT_MS + 1_000);
    proxy.restore();
    await expect.poll(async () => (await checkHealth(app, "postgresql")).status, { timeout: 20_000, interval: 250 }).toBe("ok");
  });
});
