// npm run bench:api — the /v1 API under load, against its yardstick.
//
// Builds and starts the production server (server.ts, NODE_ENV=production) on
// a fresh SQLite file, then with autocannon at 32 connections:
//   1. create: POST /v1/tickets for BENCH_SECONDS (default 10);
//   2. use once: POST /v1/tickets/use once for every ticket created;
//   3. race: 2,000 new tickets, each presented 4 times at once — every ticket
//      must succeed exactly once ("spent twice" must be 0).
// The same create/use loads then run against bench/baseline-server.ts (bare
// node:http + better-sqlite3, same statements); the goal is at least half its
// throughput. Set BENCH_SKIP_BUILD=1 to reuse an existing .next build,
// BENCH_DIR to put the databases elsewhere (e.g. /dev/shm).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import autocannon from "autocannon";
import Database from "better-sqlite3";

import { createProject } from "@/lib/api/projects";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

import { describeMachine } from "./machine";

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RACE_TICKETS = 2_000;
const RACE_COPIES = 4;
const root = path.resolve(import.meta.dirname, "..");

interface Phase {
  label: string;
  rps: number;
  p99: number;
  ok: number;
  errors: number;
}

async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a TypeScript entry point as a direct child (no npx in between, so SIGTERM reaches it). */
function start(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  child.on("exit", (code, signal) => {
    if (code && signal !== "SIGTERM") console.error(`${script} exited with ${code}`);
  });
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** Runs one autocannon phase; `body(i)` gives the i-th request's body. */
async function load(label: string, base: string, key: string | null, route: string, opts: { seconds?: number; amount?: number; body: (i: number) => string; onOk?: (body: string) => void }): Promise<Phase> {
  let i = 0;
  let ok = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds ?? SECONDS }),
    requests: [
      {
        method: "POST",
        path: route,
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        setupRequest: (req) => ({ ...req, body: opts.body(i++) }),
        onResponse: (status, body) => {
          if (status === 200) {
            ok++;
            opts.onOk?.(body);
          }
        },
      },
    ],
  });
  // Total over elapsed time: autocannon's `average` is over whole-second
  // samples, coarse for a phase of a fixed number of requests.
  const phase = { label, rps: result.requests.total / result.duration, p99: result.latency.p99, ok, errors: result.errors + result.timeouts };
  if (process.env.BENCH_VERBOSE) console.log(row(phase));
  return phase;
}

async function measure(name: string, base: string, key: string | null) {
  const created: string[] = [];
  const create = await load(`${name}: create`, base, key, "/v1/tickets", {
    body: () => '{"uses":1,"ttl":3600,"payload":{"user_id":9001}}',
    onOk: (body) => created.push((JSON.parse(body) as { ticket: string }).ticket),
  });
  const use = await load(`${name}: use once`, base, key, "/v1/tickets/use", { amount: created.length, body: (i) => JSON.stringify({ ticket: created[i] }) });
  return { create, use, created: created.length };
}

function row(phase: Phase) {
  return `  ${phase.label.padEnd(30)} ${phase.rps.toFixed(0).padStart(7)} req/s   p99 ${String(phase.p99).padStart(4)} ms   ok ${phase.ok}${phase.errors ? `   errors ${phase.errors}` : ""}`;
}

console.log(`bench:api — ${CONNECTIONS} connections, ${SECONDS} s of creates, then one use of each ticket created`);
console.log(`machine: ${describeMachine()}\n`);

if (!process.env.BENCH_SKIP_BUILD) {
  console.log("building the production app (next build)…");
  execFileSync("npx", ["next", "build"], { cwd: root, stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

// The databases go to BENCH_DIR (default: the OS temp directory). On a disk,
// commits cost I/O for both servers alike; on tmpfs (BENCH_DIR=/dev/shm) the
// comparison is CPU against CPU, where the API's own work shows most.
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-api-"));
console.log(`databases in: ${dir}\n`);
const children: ChildProcess[] = [];
try {
  const file = path.join(dir, "app.db");
  await migrate(`file:${file}`);
  const db = createDb(`file:${file}`);
  const { key } = await createProject(db, "bench", { maxLiveTickets: 10_000_000 });
  await db.$disconnect();

  const port = 3210;
  const app = start("server.ts", [], {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${file}`,
    APP_URL: `http://localhost:${port}`,
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-!",
  });
  children.push(app);
  await waitFor(`http://127.0.0.1:${port}/api/health`);
  const base = `http://127.0.0.1:${port}`;
  // One short warm-up so the JIT and the key cache are not part of the figures.
  await load("warm-up", base, key, "/v1/tickets", { seconds: 2, body: () => "{}" });
  const ours = await measure("ticketgate", base, key);

  // The race: each ticket presented RACE_COPIES times at once.
  const racing: string[] = [];
  await load("race: create", base, key, "/v1/tickets", { amount: RACE_TICKETS, body: () => '{"uses":1,"ttl":3600}', onOk: (b) => racing.push((JSON.parse(b) as { ticket: string }).ticket) });
  const race = await load("race: use ×4", base, key, "/v1/tickets/use", { amount: racing.length * RACE_COPIES, body: (i) => JSON.stringify({ ticket: racing[Math.floor(i / RACE_COPIES)] }) });
  await stop(app);

  const check = new Database(file, { readonly: true });
  const spentTwice = (check.prepare(`SELECT COUNT(*) AS n FROM (SELECT ticketId FROM ticket_events WHERE kind = 'used' GROUP BY ticketId HAVING COUNT(*) > 1)`).get() as { n: number }).n;
  const overused = (check.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE useCount > maxUses OR usesLeft < 0`).get() as { n: number }).n;
  check.close();

  // The yardstick, on its own fresh database.
  const baseFile = path.join(dir, "baseline.db");
  await migrate(`file:${baseFile}`);
  const baseline = start("bench/baseline-server.ts", [String(port + 1), baseFile], {});
  children.push(baseline);
  await waitFor(`http://127.0.0.1:${port + 1}/`);
  await load("warm-up", `http://127.0.0.1:${port + 1}`, null, "/v1/tickets", { seconds: 2, body: () => "{}" });
  const yardstick = await measure("bare node:http + SQLite", `http://127.0.0.1:${port + 1}`, null);
  await stop(baseline);

  console.log(row(ours.create));
  console.log(row(ours.use));
  console.log(row(yardstick.create));
  console.log(row(yardstick.use));
  console.log(row(race));
  console.log(`\n  ratio to the yardstick: create ${(ours.create.rps / yardstick.create.rps).toFixed(2)}, use once ${(ours.use.rps / yardstick.use.rps).toFixed(2)} (goal: at least 0.50)`);
  console.log(`  race: ${racing.length} tickets × ${RACE_COPIES} parallel uses → ${race.ok} successes (must be ${racing.length})`);
  console.log(`  tickets spent twice: ${spentTwice}; over-used rows: ${overused} (both must be 0)`);
  if (spentTwice !== 0 || overused !== 0 || race.ok !== racing.length || ours.use.ok !== ours.created) process.exitCode = 1;
} finally {
  for (const child of children) await stop(child);
  rmSync(dir, { recursive: true, force: true });
}
