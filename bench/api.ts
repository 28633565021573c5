// npm run bench:api — the /v1 API under load, against the floor.
//
// For SQLite, and for PostgreSQL when BENCH_POSTGRES_URL (or a postgresql://
// DATABASE_URL) names a server: starts the production server (server.ts,
// NODE_ENV=production) on a fresh database, then with autocannon at 32
// connections:
//   1. create: POST /v1/tickets for BENCH_SECONDS (default 8);
//   2. use once: POST /v1/tickets/use once for every ticket created;
//   3. race: 2,000 new tickets, each presented 4 times at once — every ticket
//      must succeed exactly once ("spent twice" must be 0).
// The same create/use loads then run against the floor (bench/floor-server.ts:
// bare node:http, one statement per request on a one-table schema) on the same
// engine. The goal: at least half the floor's throughput, p99 at most twice
// the floor's, nothing spent twice, no 5xx. Set BENCH_SKIP_BUILD=1 to reuse an
// existing .next build, BENCH_DIR to put the SQLite files elsewhere (/dev/shm).
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import autocannon from "autocannon";

import { createProject } from "@/lib/api/projects";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

import { describeMachine } from "./machine";
import { type BenchDatabase, type CpuScope, type Engine, buildApp, cpuBetween, cpuSnapshot, postgresDatabase, postgresUrl, sqliteDatabase, start, stop, waitFor } from "./support";

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RACE_TICKETS = 2_000;
const RACE_COPIES = 4;

interface Phase {
  label: string;
  rps: number;
  p99: number;
  ok: number;
  /** Connection errors, timeouts and 5xx answers. */
  errors: number;
  /** CPU per request (µs): the server's and its database backends' (bench/support.ts), null where /proc is not. */
  cpu: number | null;
}

/** Runs one autocannon phase; `body(i)` gives the i-th request's body. */
async function load(label: string, base: string, key: string | null, route: string, opts: { seconds?: number; amount?: number; cpu?: CpuScope; body: (i: number) => string; onOk?: (body: string) => void }): Promise<Phase> {
  let i = 0;
  const cpuBefore = opts.cpu ? cpuSnapshot(opts.cpu) : null;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
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
          if (status >= 500) failed++;
          if (status === 200) {
            ok++;
            opts.onOk?.(body);
          }
        },
      },
    ],
  });
  // Total over elapsed time, timed here: autocannon's `average` is over
  // whole-second samples and its `duration` is coarse, both too rough for a
  // phase of a fixed number of requests.
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = cpuBefore && opts.cpu ? cpuBetween(cpuBefore, cpuSnapshot(opts.cpu)) : 0;
  const cpu = cpuUsed > 0 && result.requests.total > 0 ? cpuUsed / result.requests.total : null;
  const phase = { label, rps: result.requests.total / seconds, p99: result.latency.p99, ok, errors: result.errors + result.timeouts + failed, cpu };
  if (process.env.BENCH_VERBOSE) console.log(row(phase));
  return phase;
}

async function measure(name: string, base: string, key: string | null, cpu: CpuScope) {
  const created: string[] = [];
  const create = await load(`${name}: create`, base, key, "/v1/tickets", {
    cpu,
    body: () => '{"uses":1,"ttl":3600,"payload":{"user_id":9001}}',
    onOk: (body) => created.push((JSON.parse(body) as { ticket: string }).ticket),
  });
  const use = await load(`${name}: use once`, base, key, "/v1/tickets/use", { amount: created.length, cpu, body: (i) => JSON.stringify({ ticket: created[i] }) });
  return { create, use, created: created.length };
}

function row(phase: Phase) {
  const cpu = phase.cpu === null ? "" : `   CPU ${phase.cpu.toFixed(0).padStart(4)} µs/req`;
  return `  ${phase.label.padEnd(34)} ${phase.rps.toFixed(0).padStart(7)} req/s   p99 ${String(phase.p99).padStart(4)} ms${cpu}   ok ${phase.ok}${phase.errors ? `   errors ${phase.errors}` : ""}`;
}

interface EngineResult {
  engine: Engine;
  app: { create: Phase; use: Phase };
  floor: { create: Phase; use: Phase };
  race: Phase;
  racing: number;
  spentTwice: number;
  overused: number;
  unused: number;
}

async function benchEngine(engine: Engine, database: BenchDatabase, port: number, children: ChildProcess[]): Promise<EngineResult> {
  await migrate(database.url);
  const db = createDb(database.url);
  const { key } = await createProject(db, "bench", { maxLiveTickets: 10_000_000 });
  await db.$disconnect();

  const app = start("server.ts", [], {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    APP_URL: `http://localhost:${port}`,
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-!",
  });
  children.push(app);
  await waitFor(`http://127.0.0.1:${port}/api/health`);
  const base = `http://127.0.0.1:${port}`;
  // One short warm-up so the JIT and the key cache are not part of the figures.
  await load("warm-up", base, key, "/v1/tickets", { seconds: 2, body: () => "{}" });
  const ours = await measure(`ticketgate, ${engine}`, base, key, { pid: app.pid!, postgresDatabase: database.postgresDatabase });

  // The race: each ticket presented RACE_COPIES times at once.
  const racing: string[] = [];
  await load("race: create", base, key, "/v1/tickets", { amount: RACE_TICKETS, body: () => '{"uses":1,"ttl":3600}', onOk: (b) => racing.push((JSON.parse(b) as { ticket: string }).ticket) });
  const race = await load(`race (${engine}): use ×${RACE_COPIES}`, base, key, "/v1/tickets/use", { amount: racing.length * RACE_COPIES, body: (i) => JSON.stringify({ ticket: racing[Math.floor(i / RACE_COPIES)] }) });
  await stop(app);

  // A ticket of one use records its use on its row: a second success in the race is a ticket spent twice.
  const spentTwice = Math.max(0, race.ok - racing.length);
  const overused = await database.count(`SELECT COUNT(*) AS n FROM tickets WHERE "useCount" > "maxUses" OR "usesLeft" < 0`);

  const floorPort = port + 1;
  const floor = start("bench/floor-server.ts", [String(floorPort), engine, database.floorTarget], {});
  children.push(floor);
  await waitFor(`http://127.0.0.1:${floorPort}/`);
  await load("warm-up", `http://127.0.0.1:${floorPort}`, null, "/v1/tickets", { seconds: 2, body: () => "{}" });
  const floorRun = await measure(`floor, ${engine}`, `http://127.0.0.1:${floorPort}`, null, { pid: floor.pid!, postgresDatabase: database.postgresDatabase });
  await stop(floor);

  return { engine, app: ours, floor: floorRun, race, racing: racing.length, spentTwice, overused, unused: ours.created - ours.use.ok };
}

console.log(`bench:api — ${CONNECTIONS} connections, ${SECONDS} s of creates, then one use of each ticket created; SQLite${postgresUrl ? " and PostgreSQL" : " (set BENCH_POSTGRES_URL for PostgreSQL too)"}`);
console.log(`machine: ${describeMachine()}\n`);

buildApp();

// The SQLite files go to BENCH_DIR (default: the OS temp directory). On a
// disk, commits cost I/O for both servers alike; on tmpfs (BENCH_DIR=/dev/shm)
// the comparison is CPU against CPU.
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-api-"));
console.log(`SQLite files in: ${dir}\n`);
const children: ChildProcess[] = [];
const databases: BenchDatabase[] = [];
const results: EngineResult[] = [];
try {
  const sqlite = await sqliteDatabase(dir);
  databases.push(sqlite);
  results.push(await benchEngine("sqlite", sqlite, 3210, children));
  if (postgresUrl) {
    const postgres = await postgresDatabase(postgresUrl);
    databases.push(postgres);
    results.push(await benchEngine("postgresql", postgres, 3220, children));
  }

  let failed = false;
  for (const r of results) {
    console.log(`\n${r.engine}`);
    for (const phase of [r.app.create, r.floor.create, r.app.use, r.floor.use, r.race]) console.log(row(phase));
    const ratio = (ours: Phase, floor: Phase) => `${(ours.rps / floor.rps).toFixed(2)} of the floor's req/s, p99 ${(ours.p99 / Math.max(1, floor.p99)).toFixed(1)}× the floor's`;
    console.log(`  create: ${ratio(r.app.create, r.floor.create)}; use once: ${ratio(r.app.use, r.floor.use)} (goal: at least 0.50, at most 2×)`);
    // CPU per request holds still when the machine is busy with other work, where req/s does not.
    const cpuRatio = (ours: Phase, floor: Phase) => (ours.cpu !== null && floor.cpu !== null ? `${(ours.cpu / floor.cpu).toFixed(1)}×` : "n/a");
    console.log(`  CPU per request (server and database backends): create ${cpuRatio(r.app.create, r.floor.create)}, use once ${cpuRatio(r.app.use, r.floor.use)} the floor's`);
    console.log(`  race: ${r.racing} tickets × ${RACE_COPIES} parallel uses → ${r.race.ok} successes (must be ${r.racing})`);
    console.log(`  tickets spent twice: ${r.spentTwice}; over-used rows: ${r.overused}; created but not used once: ${r.unused}; 5xx and errors: ${r.app.create.errors + r.app.use.errors + r.race.errors} (all must be 0)`);
    if (r.spentTwice || r.overused || r.unused || r.race.ok !== r.racing || r.app.create.errors || r.app.use.errors || r.race.errors) failed = true;
  }
  if (failed) process.exitCode = 1;
} finally {
  for (const child of children) await stop(child);
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
