// npm run bench:admin — the admin console's reads on a large installation.
//
// Fills a fresh SQLite file with BENCH_ROWS tickets (default 1,000,000) over
// the last 60 days — most used, some open, expired, cancelled or replaced,
// spread over 10,000 addresses, 3 domains and 2 API projects — with their
// events, then times what the console's pages run: the overview's figures
// and the ticket list with each filter, first page and 50 pages deep. Each
// figure is the median of 5 runs. The goal: every page's queries well under
// a second, and no query whose time grows with the table except the
// "address contains" search, which no index can serve.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import { dailyActivity, openedWithoutUse, ticketCounts } from "@/lib/admin/queries";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";
import { type TicketFilter, createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { describeMachine } from "./machine";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const now = new Date("2026-11-24T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

console.log(`bench:admin — ${ROWS.toLocaleString("en")} tickets, the console's reads (median of 5 runs)`);
console.log(`machine: ${describeMachine()}\n`);

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-admin-"));
const file = path.join(dir, "app.db");
try {
  await migrate(`file:${file}`);
  const seedStarted = Date.now();
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
  const states = ["closed", "closed", "closed", "closed", "closed", "closed", "open", "expired", "revoked", "superseded"] as const;
  const seed = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const created = now.getTime() - Math.floor((i / ROWS) * 60 * DAY);
      const state = states[i % states.length]!;
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
  console.log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s\n`);

  const db = createDb(`file:${file}`);
  const store = SqliteTicketStore.open(`file:${file}`);
  const clock = { now: () => now };
  const tickets = createTicketService({ store, actionPaths: createActionPathRegistry(["account"]), clock, defaultDomain: "example0.org" });

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

  async function deep(filter: TicketFilter, pages: number) {
    let cursor: string | null = null;
    for (let i = 0; i < pages; i++) cursor = (await tickets.list(filter, { limit: 50, cursor })).nextCursor;
  }

  console.log("overview (/admin)");
  await median("counts by state", () => ticketCounts(tickets));
  await median("issued / used / expired per day, 30 days", () => dailyActivity(db, clock, 30));
  await median("opened but never used, 30 days", () => openedWithoutUse(db, clock, 30));
  console.log("\nticket list (/admin/tickets), first page of 50");
  const filters: [string, TicketFilter][] = [
    ["no filter", {}],
    ["state = open", { state: "open" }],
    ["state = expired (incl. open past expiry)", { state: "expired" }],
    ["type = password_reset", { type: "password_reset" }],
    ["exact address", { email: "person42@example0.org" }],
    ["domain", { domain: "example1.org" }],
    ["API project", { projectId: projects[1] }],
    ["created in one day, 20 days ago", { createdFrom: new Date(now.getTime() - 20 * DAY), createdTo: new Date(now.getTime() - 19 * DAY) }],
    ["address contains (no index can serve this)", { emailContains: "son4242@" }],
  ];
  for (const [label, filter] of filters) await median(label, () => tickets.list(filter, { limit: 50 }));
  console.log("\nticket list, 50 pages deep (2,500 rows)");
  await median("no filter", () => deep({}, 50));
  await median("state = open", () => deep({ state: "open" }, 50));
  store.close();
  await db.$disconnect();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
