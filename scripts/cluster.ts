// npm run start:cluster -- [instances] — several app processes on one
// database, for a single machine behind a load balancer (nginx, HAProxy…).
// Applies pending migrations once, then starts `instances` (default 2)
// production servers on PORT, PORT+1, … (PORT default 3000), each named in its
// logs (INSTANCE_NAME=app-1, app-2, …). An instance that exits is started
// again after a second; so is one that stops answering: every instance's
// GET /api/health is checked every 2 s, and one that misses 3 checks in a row
// (no answer within 2 s; a 503 is an answer) is killed and started again
// (lib/process/supervisor.ts). SIGTERM or SIGINT stops them all. Needs
// `npm run build` first, and a database every instance can reach: PostgreSQL
// for real traffic (SQLite works, with one writer at a time).
import "./load-env";

import path from "node:path";

import { engineOf } from "@/lib/db/engine";
import { migrate } from "@/lib/db/migrate";
import { EnvError, parseEnv } from "@/lib/env";
import { plural } from "@/lib/format";
import { healthCheckHost, startCluster } from "@/lib/process/supervisor";

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
console.log(`cluster: ${engineOf(config.DATABASE_URL)} database ready (${plural(result.applied.length, "migration")} applied); starting ${plural(count, "instance")} from port ${basePort}`);

const cluster = startCluster({
  count,
  basePort,
  command: [process.execPath, "--import", "tsx", "server.ts"],
  cwd: root,
  env: { ...process.env, NODE_ENV: "production" },
  host: healthCheckHost(process.env.HOST),
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => void cluster.stop().then(() => process.exit(0)));
}
