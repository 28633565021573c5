// The supervisor behind `npm run start:cluster` (lib/process/supervisor.ts)
// with real child processes. tests/support/health-child.ts stands in for
// server.ts (which needs a Next.js build): it answers /api/health like the
// app, and on request blocks its event loop, exits, or answers 503.
import net from "node:net";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { type Cluster, type LivenessPolicy, startCluster } from "@/lib/process/supervisor";

const root = path.resolve(import.meta.dirname, "../..");
const FIXTURE = [process.execPath, "--import", "tsx", "tests/support/health-child.ts"] as const;
/** Quicker checks, for the cases that are not about the default timing. */
const QUICK: Partial<LivenessPolicy> = { intervalMs: 250, timeoutMs: 1_000, misses: 3, graceMs: 10_000 };

interface ChildState {
  pid: number;
  checks?: number;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** One GET to the child; null when it does not answer within a second. */
async function get(port: number, pathname: string): Promise<{ status: number; body: ChildState } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(1_000) });
    return { status: res.status, body: (await res.json()) as ChildState };
  } catch {
    return null;
  }
}

/** Polls `probe` until it gives a value; a bounded wait. */
async function waitFor<T>(what: string, withinMs: number, probe: () => Promise<T | null | false | undefined>): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run start:cluster restarts an instance that stops answering", () => {
  let cluster: Cluster | undefined;
  const logged: string[] = [];

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    logged.length = 0;
  });

  /** One instance of the fixture, once the supervisor has seen it answer (its start-up grace is over). */
  async function startOne(liveness?: Partial<LivenessPolicy>) {
    const port = await freePort();
    cluster = startCluster({ count: 1, basePort: port, command: FIXTURE, cwd: root, env: process.env, liveness, log: (line) => logged.push(line) });
    const first = await waitFor("the supervisor's first health check is answered", 20_000, async () => {
      const state = await get(port, "/state");
      return state && state.body.checks! > 0 && state.body;
    });
    return { port, pid: first.pid };
  }

  function newInstanceAnswers(port: number, oldPid: number, withinMs = 15_000) {
    return waitFor("a new instance answers /api/health", withinMs, async () => {
      const health = await get(port, "/api/health");
      return health?.status === 200 && health.body.pid !== oldPid && health.body;
    });
  }

  it("kills and restarts an instance whose event loop is blocked, with the default checks (3 missed, 2 s each)", { timeout: 60_000 }, async () => {
    const { port, pid } = await startOne();
    expect((await get(port, "/block"))?.status).toBe(200);

    // Up to 2 s to the next check, 3 × 2 s missed, 1 s before the restart, then the new child's start-up.
    const next = await newInstanceAnswers(port, pid, 20_000);
    expect(next.pid).not.toBe(pid);
    expect(isRunning(pid)).toBe(false);
    expect(logged.join("\n")).toMatch(new RegExp(`app-1 \\(pid ${pid}\\) missed 3 health checks in a row`));
  });

  it("restarts an instance that exits", { timeout: 60_000 }, async () => {
    const { port, pid } = await startOne(QUICK);
    expect((await get(port, "/exit"))?.status).toBe(200);

    await newInstanceAnswers(port, pid);
    expect(logged.join("\n")).toContain("app-1 stopped (exit 1)");
  });

  it("keeps an instance that answers 503: it is alive, its database is not, and it recovers by itself", { timeout: 60_000 }, async () => {
    const { port, pid } = await startOne(QUICK);
    expect((await get(port, "/unhealthy"))?.status).toBe(200);
    const before = (await get(port, "/state"))!.body.checks!;

    // Twice as many 503s as the misses that would get it killed.
    const after = await waitFor("the supervisor has checked it six more times", 15_000, async () => {
      const state = await get(port, "/state");
      return state && state.body.checks! >= before + 2 * QUICK.misses! && state.body;
    });
    expect(after.pid).toBe(pid);
    expect((await get(port, "/api/health"))?.status).toBe(503);
    expect(logged).toEqual([]);
  });
});
