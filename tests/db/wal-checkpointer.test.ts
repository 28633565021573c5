// The SQLite store's checkpoints run in a worker thread (lib/db/wal-checkpointer.ts):
// the pages a commit leaves in the write-ahead log reach the database file
// without any commit on the event loop copying them there.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";

import { afterEach, expect, it } from "vitest";

import { sqlitePath } from "@/lib/db/engine";
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase } from "../support/databases";

let t: TestDatabase | undefined;
let store: SqliteTicketStore | undefined;
afterEach(async () => {
  await store?.close();
  await t?.drop();
});

/** Issues API tickets through the store, one commit each: some 10 WAL frames a commit, far under SQLite's own checkpoint threshold (1,000). */
async function write(into: SqliteTicketStore, tickets: number) {
  const service = createTicketService({ store: into, actionPaths: createActionPathRegistry(["account"]), defaultDomain: "example.com" });
  for (let i = 0; i < tickets; i++) {
    const issued = await service.issue({ type: "api", ttlSeconds: 60, uses: 1, payload: { n: i, padding: "x".repeat(200) } });
    if (!issued.ok) throw new Error(issued.error.message);
  }
}

async function databaseFileGrows(path: string, from: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (statSync(path).size > from) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

it("with checkpoints in the background, committed pages reach the database file with no commit copying them", async () => {
  t = await createTestDatabase("sqlite");
  const path = sqlitePath(t.url);
  await t.db.$disconnect();
  store = SqliteTicketStore.open(t.url, { checkpointInBackground: true });
  const before = statSync(path).size;
  await write(store, 40);
  expect(await databaseFileGrows(path, before, 2_000)).toBe(true);
});

it("without them, the same writes stay in the log (SQLite checkpoints only past 1,000 pages)", async () => {
  t = await createTestDatabase("sqlite");
  const path = sqlitePath(t.url);
  await t.db.$disconnect();
  store = SqliteTicketStore.open(t.url);
  const before = statSync(path).size;
  await write(store, 40);
  expect(await databaseFileGrows(path, before, 1_000)).toBe(false);
});

it("stops its worker on close, after a last checkpoint", async () => {
  t = await createTestDatabase("sqlite");
  const path = sqlitePath(t.url);
  await t.db.$disconnect();
  const own = SqliteTicketStore.open(t.url, { checkpointInBackground: true });
  await write(own, 50);
  const before = statSync(path).size;
  await own.close();
  // Closed, nothing holds the file: a new store opens it and reads every ticket.
  store = SqliteTicketStore.open(t.url);
  expect(statSync(path).size).toBeGreaterThanOrEqual(before);
  const count = await store.count({ column: "type", is: "=", value: "api" }, new Date());
  expect(count).toBe(50);
});

it("a process that only closes its store runs on until the worker has stopped", async () => {
  t = await createTestDatabase("sqlite");
  await t.db.$disconnect();
  // The worker is unreferenced while it runs; awaiting its stop must keep the process alive.
  const out = execFileSync(process.execPath, ["--import", "tsx", "tests/support/close-store-child.ts", t.url], { encoding: "utf8", timeout: 30_000 });
  expect(out).toContain("closed");
});
