// npm run api:project -- <name> [--max-live N] [--max-payload BYTES] [--ttl SECONDS]
// Creates an API project and prints its first key (shown once; only its hash is kept).
import "./load-env";

import { parseArgs } from "node:util";

import { createProject } from "@/lib/api/projects";
import { createDb } from "@/lib/db/client";
import { EnvError, parseDatabaseUrl } from "@/lib/env";
import { plural } from "@/lib/format";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { "max-live": { type: "string" }, "max-payload": { type: "string" }, ttl: { type: "string" } },
});
const name = positionals[0];
if (!name || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)) {
  console.error("usage: npm run api:project -- <name> [--max-live N] [--max-payload BYTES] [--ttl SECONDS]\n(name: lower-case letters, digits, - and _)");
  process.exit(2);
}
function positive(flag: "max-live" | "max-payload" | "ttl"): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a whole number above 0`);
    process.exit(2);
  }
  return n;
}

let db;
try {
  db = createDb(parseDatabaseUrl(process.env));
  const existing = await db.apiProject.findUnique({ where: { name } });
  if (existing) {
    console.error(`A project named "${name}" already exists. Keys for it are managed in the admin console.`);
    process.exit(1);
  }
  const { project, key } = await createProject(db, name, { maxLiveTickets: positive("max-live"), maxPayloadBytes: positive("max-payload"), defaultTtl: positive("ttl") });
  console.log(`Created project "${project.name}" (max ${plural(project.maxLiveTickets, "live ticket")}, payloads up to ${plural(project.maxPayloadBytes, "byte")}, default ttl ${project.defaultTtl} s).`);
  console.log("\nAPI key (shown once — store it now):\n");
  console.log(`  ${key}\n`);
  console.log(`Try it:\n  curl -X POST "$APP_URL/v1/tickets" -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{"uses": 1, "ttl": 60, "payload": {"user_id": 9001}}'`);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `api:project failed: ${(error as Error).message} (did you run npm run db:migrate?)`);
  process.exitCode = 1;
} finally {
  await db?.$disconnect();
}
