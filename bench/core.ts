// npm run bench:core — in-process ticket issue and use throughput through the
// ticket core and the Prisma store, against the same statements run directly
// on better-sqlite3 (the floor: what the database itself costs), and through
// the core and the raw SQLite store (what the core costs on top of that floor).
// Set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to measure PostgreSQL too.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { PgTicketStore } from "@/lib/db/pg-ticket-store";
import { PrismaTicketStore } from "@/lib/db/prisma-ticket-store";
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";
import { type TicketStore, createActionPathRegistry, createTicketService, generateTicket, hashTicket } from "@/lib/tickets";

import { describeMachine } from "./machine";

const N = Number(process.env.BENCH_N ?? 3000);
const actionPaths = createActionPathRegistry(["account", "subrequest/:list"]);

async function timed(label: string, n: number, run: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = n / seconds;
  console.log(`  ${label.padEnd(34)} ${rate.toFixed(0).padStart(8)} ops/s`);
  return rate;
}

async function benchStore(store: TicketStore, name: string) {
  const tickets = createTicketService({ store, actionPaths });
  const raw: string[] = [];
  const issue = await timed(`issue (core + ${name})`, N, async () => {
    const r = await tickets.issue({ type: "login", email: "bench@example.com", data: "account", ttlSeconds: 900, uses: 1, requestedFrom: { ip: "192.0.2.1" } });
    if (!r.ok) throw new Error(r.error.message);
    raw.push(r.value.ticket);
  });
  const use = await timed(`use once (core + ${name})`, N, async (i) => {
    const r = await tickets.redeem(raw[i], { actor: { ip: "192.0.2.2" } });
    if (r.result !== "success") throw new Error(`unexpected ${r.result}`);
  });
  return { issue, use };
}

async function benchCore(url: string, schema?: string) {
  await migrate(url, schema ? { schema } : {});
  const db = createDb(url, schema ? { schema } : {});
  const rates = await benchStore(new PrismaTicketStore(db), "Prisma");
  await db.$disconnect();
  return rates;
}

async function benchSqliteStore(url: string) {
  await migrate(url);
  const store = SqliteTicketStore.open(url);
  const rates = await benchStore(store, "raw SQLite store");
  store.close();
  return rates;
}

function benchRawSqlite(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, tokenHash, type, email, domain, data, maxUses, usesLeft, expiresAt, requestedFromIp, createdAt, updatedAt) VALUES (?, ?, 'login', ?, 'default', 'account', 1, 1, ?, ?, ?, ?)`,
  );
  const find = db.prepare(`SELECT * FROM tickets WHERE tokenHash = ?`);
  const spend = db.prepare(
    `UPDATE tickets SET usesLeft = usesLeft - 1, useCount = useCount + 1, state = CASE WHEN usesLeft = 1 THEN 'closed' ELSE state END, lastUsedAt = ?, lastUsedIp = ?, updatedAt = ? WHERE id = ? AND state = 'open' AND usesLeft = ? AND (expiresAt IS NULL OR expiresAt > ?)`,
  );
  const issueTx = db.transaction((id: string, hash: string, now: string, expires: string) => {
    insertTicket.run(id, hash, "bench@example.com", expires, "192.0.2.1", now, now);
  });
  const hashes: string[] = [];
  const ids: string[] = [];
  const results = {
    issue: 0,
    use: 0,
  };
  return (async () => {
    results.issue = await timed("issue (raw better-sqlite3)", N, () => {
      const now = new Date();
      const id = randomUUID();
      const hash = hashTicket(generateTicket());
      issueTx(id, hash, now.toISOString(), new Date(now.getTime() + 900_000).toISOString());
      hashes.push(hash);
      ids.push(id);
    });
    results.use = await timed("use once (raw better-sqlite3)", N, (i) => {
      const now = new Date().toISOString();
      const row = find.get(hashes[i]) as { id: string; usesLeft: number };
      // A ticket of one use records its use on its row (lib/tickets/history.ts): no event.
      if (spend.run(now, "192.0.2.2", now, row.id, row.usesLeft, now).changes !== 1) throw new Error("spend failed");
    });
    db.close();
    return results;
  })();
}

console.log(`bench:core — ${N} sequential operations each`);
console.log(`machine: ${describeMachine()}\n`);

const dir = mkdtempSync(path.join(tmpdir(), "ticketgate-bench-"));
try {
  console.log("SQLite (file, WAL)");
  const core = await benchCore(`file:${path.join(dir, "core.db")}`);
  await migrate(`file:${path.join(dir, "raw.db")}`);
  const raw = await benchRawSqlite(path.join(dir, "raw.db"));
  const store = await benchSqliteStore(`file:${path.join(dir, "store.db")}`);
  console.log(`  ratio core/raw: issue ${(core.issue / raw.issue).toFixed(2)}, use ${(core.use / raw.use).toFixed(2)}`);
  console.log(`  ratio core + raw SQLite store/raw: issue ${(store.issue / raw.issue).toFixed(2)}, use ${(store.use / raw.use).toFixed(2)}`);

  const pgUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (pgUrl) {
    console.log("\nPostgreSQL");
    const schema = `bench_${Date.now()}`;
    await benchCore(pgUrl, schema);
    const db = createDb(pgUrl, { schema });
    const hot = PgTicketStore.open(pgUrl, db, { schema });
    await benchStore(hot, "node-postgres store");
    await hot.close();
    await db.$disconnect();
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
    await client.end();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
