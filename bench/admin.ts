// npm run bench:admin — the admin console's reads on a large installation.
//
// Fills a fresh SQLite file — and, when BENCH_POSTGRES_URL (or a postgresql://
// DATABASE_URL) names a server, a fresh PostgreSQL database — with BENCH_ROWS
// tickets (default 1,000,000) over the last 60 days: most used, some open,
// expired, cancelled or replaced, spread over 10,000 addresses, 3 domains and
// 2 API projects, with their events. Then it times what the console's pages
// run: the overview's figures and the ticket list with each filter, first page
// and 50 pages deep. Each figure is the median of 5 runs.
//
// The guard (issue "the hot path", docs/decisions/0019): the first page of the
// ticket list under 50 ms for every filter but "address contains", which no
// index can serve, on both engines. The bench exits 1 when one is not.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import { dailyActivity, openedWithoutUse, ticketCounts } from "@/lib/admin/queries";
import { type Db, createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { openTicketStore } from "@/lib/db/ticket-store";
import { type TicketFilter, createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { describeMachine } from "./machine";
import { type Engine, postgresDatabase, postgresUrl } from "./support";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const FIRST_PAGE_MS = 50;
const now = new Date("2026-11-24T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const STATES = ["closed", "closed", "closed", "closed", "closed", "closed", "open", "expired", "revoked", "superseded"] as const;

interface Seeded {
  url: string;
  projects: string[];
  drop(): Promise<void>;
}

/**
 * Row i of the installation: created (60 days ago → now) in order; one in ten
 * states from STATES; every 20th an API ticket of one of two projects (no
 * address); a person's kind login or, every 7th, password reset; a quarter
 * looked at once (an "opened" event). The PostgreSQL seed says the same in SQL.
 */
async function seedSqlite(dir: string): Promise<Seeded> {
  const file = path.join(dir, "app.db");
  await migrate(`file:${file}`);
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  const projects = [randomUUID(), randomUUID()];
  for (const [i, id] of projects.entries()) raw.prepare(`INSERT INTO api_projects (id, name, updatedAt) VALUES (?, ?, ?)`).run(id, `project-${i}`, iso(now.getTime()));
  const insertTicket = raw.prepare(
    `INSERT INTO tickets (id, tokenHash, type, email, projectId, domain, maxUses, usesLeft, useCount, openCount, expiresAt, state, requestedFromIp, lastUsedAt, endedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, '192.0.2.1', ?, ?, ?, ?)`,
  );
  const insertEvent = raw.prepare(`INSERT INTO ticket_events (id, ticketId, kind, at) VALUES (?, ?, ?, ?)`);
  const seed = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const created = now.getTime() - Math.floor((i / ROWS) * 60 * DAY);
      const state = STATES[i % STATES.length]!;
      const api = i % 20 === 0;
      const id = `${String(created).padStart(15, "0")}-${String(i).padStart(8, "0")}`;
      const used = state === "closed";
      const expires = state === "open" && i % 3 === 0 ? created + 900_000 : created + (state === "open" ? 60 * DAY : 900_000);
      insertTicket.run(
        id,
        `${i.toString(16).padStart(64, "0")}`,
        api ? "api" : i % 7 === 0 ? "password_reset" : "login",
        api ? null : `person${i % 10_000}@example${i % 3}.org`,
        api ? projects[(i / 20) % 2] : null,
        `example${i % 3}.org`,
        used ? 0 : 1,
        used ? 1 : 0,
        i % 4 === 0 ? 1 : 0,
        iso(expires),
        state,
        used ? iso(created + 60_000) : null,
        state === "open" ? null : iso(created + 60_000),
        iso(created),
        iso(created + 60_000),
      );
      // The row is the issue and the one use (lib/tickets/history.ts); the looks are events.
      if (i % 4 === 0) insertEvent.run(randomUUID(), id, "opened", iso(created + 30_000));
    }
  });
  for (let from = 0; from < ROWS; from += 20_000) seed(from, Math.min(from + 20_000, ROWS));
  raw.pragma("wal_checkpoint(TRUNCATE)");
  raw.exec("ANALYZE");
  raw.close();
  return { url: `file:${file}`, projects, drop: async () => {} };
}

async function seedPostgres(serverUrl: string): Promise<Seeded> {
  const database = await postgresDatabase(serverUrl);
  await migrate(database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const projects = [randomUUID(), randomUUID()];
    for (const [i, id] of projects.entries()) await client.query(`INSERT INTO api_projects (id, name, "createdAt", "updatedAt") VALUES ($1, $2, $3, $3)`, [id, `project-${i}`, now]);
    // In slices of 100,000 rows, each its own statement: the same rows as seedSqlite's.
    for (let from = 0; from < ROWS; from += 100_000) {
      const to = Math.min(from + 100_000, ROWS) - 1;
      await client.query(
        `WITH r AS (
           SELECT i, $3::bigint - floor(i::numeric / $1 * ${60 * DAY})::bigint AS created,
             (ARRAY['closed','closed','closed','closed','closed','closed','open','expired','revoked','superseded'])[i % 10 + 1] AS state,
             i % 20 = 0 AS api
           FROM generate_series($4::int, $5::int) AS i
         ), t AS (
           SELECT r.*, lpad(created::text, 15, '0') || '-' || lpad(i::text, 8, '0') AS id,
             CASE WHEN state = 'open' AND i % 3 = 0 THEN created + 900000 WHEN state = 'open' THEN created + ${60 * DAY}::bigint ELSE created + 900000 END AS expires
           FROM r
         )
         INSERT INTO tickets (id, "tokenHash", type, email, "projectId", domain, "maxUses", "usesLeft", "useCount", "openCount", "expiresAt", state, "requestedFromIp", "lastUsedAt", "endedAt", "createdAt", "updatedAt")
         SELECT id, lpad(to_hex(i), 64, '0'),
           CASE WHEN api THEN 'api' WHEN i % 7 = 0 THEN 'password_reset' ELSE 'login' END,
           CASE WHEN api THEN NULL ELSE 'person' || (i % 10000) || '@example' || (i % 3) || '.org' END,
           CASE WHEN NOT api THEN NULL WHEN (i / 20) % 2 = 0 THEN $2 ELSE $6 END,
           'example' || (i % 3) || '.org', 1,
           CASE WHEN state = 'closed' THEN 0 ELSE 1 END, CASE WHEN state = 'closed' THEN 1 ELSE 0 END, CASE WHEN i % 4 = 0 THEN 1 ELSE 0 END,
           to_timestamp(expires / 1000.0) AT TIME ZONE 'UTC', state, '192.0.2.1',
           CASE WHEN state = 'closed' THEN to_timestamp((created + 60000) / 1000.0) AT TIME ZONE 'UTC' END,
           CASE WHEN state = 'open' THEN NULL ELSE to_timestamp((created + 60000) / 1000.0) AT TIME ZONE 'UTC' END,
           to_timestamp(created / 1000.0) AT TIME ZONE 'UTC', to_timestamp((created + 60000) / 1000.0) AT TIME ZONE 'UTC'
         FROM t`,
        [ROWS, projects[0], now.getTime(), from, to, projects[1]],
      );
    }
    await client.query(
      `INSERT INTO ticket_events (id, "ticketId", kind, at)
       SELECT gen_random_uuid()::text, id, 'opened', "createdAt" + interval '30 seconds' FROM tickets WHERE "openCount" = 1`,
    );
    await client.query("VACUUM ANALYZE");
    return { url: database.url, projects, drop: database.drop };
  } finally {
    await client.end();
  }
}

async function median(label: string, run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const ms = times.sort((a, b) => a - b)[2]!;
  console.log(`  ${label.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms`);
  return ms;
}

/** Times the console's reads on a seeded database; answers the first pages over FIRST_PAGE_MS. */
async function measure(engine: Engine, seeded: Seeded): Promise<string[]> {
  const db: Db = createDb(seeded.url);
  const opened = openTicketStore(seeded.url, db);
  const clock = { now: () => now };
  const tickets = createTicketService({ store: opened.store, actionPaths: createActionPathRegistry(["account"]), clock, defaultDomain: "example0.org" });
  const slow: string[] = [];
  try {
    const deep = async (filter: TicketFilter, pages: number) => {
      let cursor: string | null = null;
      for (let i = 0; i < pages; i++) cursor = (await tickets.list(filter, { limit: 50, cursor })).nextCursor;
    };
    console.log("overview (/admin)");
    await median("counts by state", () => ticketCounts(tickets));
    await median("issued / used / expired per day, 30 days", () => dailyActivity(db, clock, 30));
    await median("opened but never used, 30 days", () => openedWithoutUse(db, clock, 30));
    console.log("\nticket list (/admin/tickets), first page of 50");
    const filters: [string, TicketFilter][] = [
      ["no filter", {}],
      ["state = open", { state: "open" }],
      ["state = used", { state: "closed" }],
      ["state = expired (incl. open past expiry)", { state: "expired" }],
      ["state = cancelled", { state: "revoked" }],
      ["type = password_reset", { type: "password_reset" }],
      ["type = api", { type: "api" }],
      ["exact address", { email: "person42@example0.org" }],
      ["one person (address or account)", { owner: { email: "person42@example0.org", userId: null } }],
      ["domain", { domain: "example1.org" }],
      ["API project", { projectId: seeded.projects[1] }],
      ["created in one day, 20 days ago", { createdFrom: new Date(now.getTime() - 20 * DAY), createdTo: new Date(now.getTime() - 19 * DAY) }],
    ];
    for (const [label, filter] of filters) {
      if ((await median(label, () => tickets.list(filter, { limit: 50 }))) >= FIRST_PAGE_MS) slow.push(`${engine}: ${label}`);
    }
    await median("address contains (no index can serve this)", () => tickets.list({ emailContains: "son4242@" }, { limit: 50 }));
    console.log("\nticket list, 50 pages deep (2,500 rows)");
    await median("no filter", () => deep({}, 50));
    await median("state = open", () => deep({ state: "open" }, 50));
  } finally {
    await opened.close();
    await db.$disconnect();
  }
  return slow;
}

console.log(`bench:admin — ${ROWS.toLocaleString("en")} tickets, the console's reads (median of 5 runs); SQLite${postgresUrl ? " and PostgreSQL" : " (set BENCH_POSTGRES_URL for PostgreSQL too)"}`);
console.log(`machine: ${describeMachine()}`);

const slow: string[] = [];
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-admin-"));
try {
  const engines: [Engine, () => Promise<Seeded>][] = [["sqlite", () => seedSqlite(dir)]];
  const server = postgresUrl;
  if (server) engines.push(["postgresql", () => seedPostgres(server)]);
  for (const [engine, seed] of engines) {
    console.log(`\n== ${engine === "sqlite" ? "SQLite" : "PostgreSQL"}`);
    const started = Date.now();
    const seeded = await seed();
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    try {
      slow.push(...(await measure(engine, seeded)));
    } finally {
      await seeded.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (slow.length > 0) {
  console.error(`\nFirst pages at or over ${FIRST_PAGE_MS} ms: ${slow.join("; ")}`);
  process.exit(1);
}
console.log(`\nEvery first page under ${FIRST_PAGE_MS} ms.`);
