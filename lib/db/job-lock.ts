// "One instance at a time" for scheduled jobs. On PostgreSQL, a session-level
// advisory lock on a connection of its own: whoever holds it runs the job, the
// others skip this round, and a process that dies mid-job releases the lock
// with its connection. On SQLite there is one file and usually one process;
// the jobs are idempotent batches, so running them twice is harmless.
import { createHash } from "node:crypto";

import pg from "pg";

import { engineOf } from "./engine";

export type JobRun<T> = { ran: true; result: T } | { ran: false };

/** Two int4 keys from the job's name (and schema, so isolated test schemas do not block each other). */
function lockKeys(name: string, schema: string | undefined): [number, number] {
  const digest = createHash("sha256").update(`ticketgate:${schema ?? ""}:${name}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

export async function runExclusive<T>(url: string, name: string, job: () => Promise<T>, options: { schema?: string } = {}): Promise<JobRun<T>> {
  if (engineOf(url) === "sqlite") return { ran: true, result: await job() };
  const client = new pg.Client({ connectionString: url });
  // A connection error mid-job (the server restarting) must not crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    const [a, b] = lockKeys(name, options.schema);
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [a, b]);
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, result: await job() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [a, b]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
