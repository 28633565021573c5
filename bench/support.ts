// What the benches that run the production server share: starting and
// stopping it (and the floor), waiting for it, and fresh databases.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "..");

export async function waitFor(url: string, timeoutMs = 60_000) {
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
export function start(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  child.on("exit", (code, signal) => {
    if (code && signal !== "SIGTERM") console.error(`${script} exited with ${code}`);
  });
  return child;
}

export async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** Builds the production app unless BENCH_SKIP_BUILD is set. */
export function buildApp(): void {
  if (process.env.BENCH_SKIP_BUILD) return;
  console.log("building the production app (next build)…");
  execFileSync("npx", ["next", "build"], { cwd: root, stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

/** The PostgreSQL server to measure on too, if any: BENCH_POSTGRES_URL, or a postgresql:// DATABASE_URL. */
export const postgresUrl = process.env.BENCH_POSTGRES_URL ?? (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined);

export type Engine = "sqlite" | "postgresql";

/** A fresh database for one engine: the app's URL, what the floor server is given, a query for the checks, and how to drop it. */
export interface BenchDatabase {
  url: string;
  /** The PostgreSQL database's name, whose backends' CPU a phase counts; none for SQLite. */
  postgresDatabase?: string;
  floorTarget: string;
  count(sql: string): Promise<number>;
  drop(): Promise<void>;
}

export async function sqliteDatabase(dir: string): Promise<BenchDatabase> {
  const file = path.join(dir, "app.db");
  return {
    url: `file:${file}`,
    floorTarget: path.join(dir, "floor.db"),
    count: async (sql) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(sql).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    drop: async () => {},
  };
}

export async function postgresDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `tg_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    postgresDatabase: name,
    floorTarget: url.toString(),
    count: async (sql) => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

/** What a phase's CPU is counted on: a server's process tree, and the PostgreSQL backends connected to one database. */
export interface CpuScope {
  pid: number;
  /** The database whose backends count (PostgreSQL on this machine); none for SQLite. */
  postgresDatabase?: string;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux everywhere in practice). */
const TICKS = Number(process.env.BENCH_CLK_TCK ?? 100);

/**
 * CPU time (µs) used so far by each process in `scope`, read from /proc
 * (Linux only; empty elsewhere): the server and its descendants, and the
 * PostgreSQL backends whose process title names the database. Shared work of
 * PostgreSQL (WAL writer, checkpoints) is not counted, for either server.
 */
export function cpuSnapshot(scope: CpuScope): Map<number, number> {
  const stats = new Map<number, { ppid: number; micros: number; title: string }>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return new Map();
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Fields after the command (which may hold spaces) in parentheses: state ppid … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const title = scope.postgresDatabase ? readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ") : "";
      stats.set(Number(name), { ppid: Number(fields[1]), micros: ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS, title });
    } catch {
      // the process ended while we looked
    }
  }
  const counted = new Map<number, number>();
  const inTree = (pid: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; hops++) {
      if (at === scope.pid) return true;
      at = stats.get(at)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, stat] of stats) {
    const backend = scope.postgresDatabase !== undefined && stat.title.startsWith("postgres: ") && stat.title.includes(` ${scope.postgresDatabase} `);
    if (backend || inTree(pid)) counted.set(pid, stat.micros);
  }
  return counted;
}

/** CPU (µs) used in `scope` between two snapshots; a process that started in between counts from zero. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}
