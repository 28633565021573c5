// npm run bench:person — the person's path: how long the server takes to
// show a sign-in link's confirm page (GET /ticket/<ticket>) and to act on its
// press (the form's POST: spend the ticket, open the session, redirect), on
// SQLite and, with BENCH_POSTGRES_URL, on PostgreSQL.
//
// The production server runs as it does for people; this process issues
// sign-in links the way the sign-in form does (a ticket bound to the asking
// browser, lib/sign-in/binding.ts) and then acts as that browser without
// JavaScript: it fetches the page, sends the form it finds there back, and
// times each answer, one request at a time (so each figure is the server's
// time plus a loopback round trip, not a queue). Goal: a median under 20 ms
// on SQLite. Set BENCH_SKIP_BUILD=1 to reuse an existing build.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { actionPaths } from "@/lib/action-paths";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { openTicketStore } from "@/lib/db/ticket-store";
import { newSecret } from "@/lib/secrets";
import { bindTicket } from "@/lib/sign-in/binding";
import { createTicketService } from "@/lib/tickets";

import { describeMachine } from "./machine";
import { type BenchDatabase, type Engine, buildApp, postgresDatabase, postgresUrl, sqliteDatabase, start, stop, waitFor } from "./support";

const LINKS = Number(process.env.BENCH_N ?? 300);
const WARM_UP = 30;
const SECRET = "bench-secret-bench-secret-bench-secret-!";

/** The hidden fields of the page's one form, as a browser without JavaScript would send them back. */
function formFields(html: string): FormData {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error("the confirm page has no form");
  const fields = new FormData();
  const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  for (const input of form[1]!.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input[0]);
    if (name && /type="hidden"/.test(input[0])) fields.append(decode(name[1]!), decode(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? ""));
  }
  return fields;
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function benchEngine(engine: Engine, database: BenchDatabase, port: number, children: ChildProcess[]) {
  await migrate(database.url);
  const base = `http://localhost:${port}`;
  const app = start("server.ts", [], { NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: database.url, APP_URL: base, AUTH_SECRET: SECRET });
  children.push(app);
  await waitFor(`${base}/api/health`);

  const db = createDb(database.url);
  const opened = openTicketStore(database.url, db);
  const tickets = createTicketService({ store: opened.store, actionPaths, defaultDomain: "localhost" });
  const browser = newSecret();
  const cookie = `tg_browser=${browser}`;
  const get: number[] = [];
  const press: number[] = [];
  try {
    for (let i = 0; i < WARM_UP + LINKS; i++) {
      // As the sign-in form does: a link for the address, bound to the browser that asked.
      const issued = await tickets.issue({ type: "login", email: `person${i % 50}@example.com`, data: "account", ttlSeconds: 900, uses: 1, supersede: true, requestedFrom: { ip: "127.0.0.1" } });
      if (!issued.ok) throw new Error(issued.error.message);
      await bindTicket({ db, tickets, config: { AUTH_SECRET: SECRET, TICKET_DOMAIN: "localhost" } }, { ticketId: issued.value.record.id, kind: "login", browser, expiresAt: new Date(Date.now() + 900_000) });
      const url = `${base}/ticket/${issued.value.ticket}`;

      let started = performance.now();
      const page = await fetch(url, { headers: { cookie } });
      const html = await page.text();
      const looked = performance.now() - started;
      if (page.status !== 200 || !html.includes("Continue as")) throw new Error(`GET ${page.status}: not the confirm page`);

      started = performance.now();
      const answer = await fetch(url, { method: "POST", body: formFields(html), headers: { cookie, origin: base }, redirect: "manual" });
      await answer.arrayBuffer();
      const pressed = performance.now() - started;
      if (answer.status !== 303 || !answer.headers.getSetCookie().some((set) => set.includes("session-token"))) throw new Error(`POST ${answer.status}: no session opened`);

      if (i >= WARM_UP) {
        get.push(looked);
        press.push(pressed);
      }
    }
  } finally {
    await opened.close();
    await db.$disconnect();
    await stop(app);
  }
  return { engine, get: summary(get), press: summary(press) };
}

console.log(`bench:person — ${LINKS} sign-in links, each opened and confirmed by the browser that asked, one at a time; SQLite${postgresUrl ? " and PostgreSQL" : " (set BENCH_POSTGRES_URL for PostgreSQL too)"}`);
console.log(`machine: ${describeMachine()}\n`);
buildApp();

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-person-"));
const children: ChildProcess[] = [];
const databases: BenchDatabase[] = [];
try {
  const results = [];
  const sqlite = await sqliteDatabase(dir);
  databases.push(sqlite);
  results.push(await benchEngine("sqlite", sqlite, 3230, children));
  if (postgresUrl) {
    const postgres = await postgresDatabase(postgresUrl);
    databases.push(postgres);
    results.push(await benchEngine("postgresql", postgres, 3240, children));
  }
  const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
  for (const r of results) {
    console.log(r.engine);
    console.log(`  confirm page (GET)       median ${ms(r.get.median)}   p90 ${ms(r.get.p90)}   p99 ${ms(r.get.p99)}`);
    console.log(`  confirm press (POST)     median ${ms(r.press.median)}   p90 ${ms(r.press.p90)}   p99 ${ms(r.press.p99)}`);
  }
  const sqliteResult = results[0]!;
  console.log(`\ngoal: median under 20 ms on SQLite — GET ${sqliteResult.get.median < 20 ? "met" : "NOT met"}, POST ${sqliteResult.press.median < 20 ? "met" : "NOT met"}`);
} finally {
  for (const child of children) await stop(child);
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
