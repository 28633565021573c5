// npm run start:cluster -- [instances] — several app processes on one
// database, for a single machine behind a load balancer (nginx, HAProxy…).
// Applies pending migrations once, then starts `instances` (default 2)
// production servers on PORT, PORT+1, … (PORT default 3000), each named in its
// logs (INSTANCE_NAME=app-1, app-2, …). An instance that dies is started again
// after a second; SIGTERM or SIGINT stops them all. Needs `npm run build`
// first, and a database every instance can reach: PostgreSQL for real
// traffic (SQLite works, with one writer at a time).
import "./load-env";

import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import { engineOf } from "@/lib/db/engine";
import { migrate } from "@/lib/db/migrate";
import { EnvError, parseEnv } from "@/lib/env";

const count = Number(process.argv[2] ?? 2);
if (!Number.isInteger(count) || count < 1 || count > 64) {
  console.error("usage: npm run start:cluster -- [instances: 1–64, default 2]");
  process.exit(2);
}
let config;
try {
  config = parseEnv({ ...process.env, NODE_ENV: "production" });
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
const basePort = Number(process.env.PORT ?? 3000);
const root = path.resolve(import.meta.dirname, "..");

const result = await migrate(config.DATABASE_URL);
console.log(`cluster: ${engineOf(config.DATABASE_URL)} database ready (${result.applied.length} migrations applied); starting ${count} instances from port ${basePort}`);

let stopping = false;
const children = new Map<number, ChildProcess>();

function start(index: number) {
  const name = `app-${index + 1}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(basePort + index), INSTANCE_NAME: name },
    stdio: "inherit",
  });
  children.set(index, child);
  child.on("exit", (code, signal) => {
    children.delete(index);
    if (stopping) {
      if (children.size === 0) process.exit(0);
      return;
    }
    console.error(`cluster: ${name} stopped (${signal ?? `exit ${code}`}); starting it again in 1 s`);
    setTimeout(() => start(index), 1_000);
  });
}

for (let i = 0; i < count; i++) start(i);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill("SIGTERM");
    if (children.size === 0) process.exit(0);
  });
}
