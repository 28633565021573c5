import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";

import { GroupCommit } from "./group-commit";

let dir: string;
let db: Database.Database;
let group: GroupCommit;
const retry = async <T>(operation: () => T) => operation();

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "group-commit-"));
  db = new Database(path.join(dir, "g.db"));
  db.pragma("journal_mode = WAL");
  db.exec(`CREATE TABLE rows (name TEXT PRIMARY KEY); CREATE TABLE log (name TEXT)`);
  group = new GroupCommit(db, retry);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What another connection sees: only what was committed. */
function committed(table: "rows" | "log"): string[] {
  const reader = new Database(path.join(dir, "g.db"), { readonly: true });
  try {
    return (reader.prepare(`SELECT name FROM ${table} ORDER BY rowid`).all() as { name: string }[]).map((row) => row.name);
  } finally {
    reader.close();
  }
}

const insertRow = (name: string) => () => db.prepare(`INSERT INTO rows (name) VALUES (?)`).run(name).changes;

it("writes that arrive together share one transaction, and each promise settles after its commit", async () => {
  const seenByOthersDuring: string[][] = [];
  const seenByOthersAfter: string[][] = [];
  const writes = ["a", "b", "c", "d"].map((name) =>
    group
      .run(() => {
        expect(db.inTransaction).toBe(true);
        seenByOthersDuring.push(committed("rows"));
        return insertRow(name)();
      })
      .then((changes) => {
        seenByOthersAfter.push(committed("rows"));
        return changes;
      }),
  );
  expect(await Promise.all(writes)).toEqual([1, 1, 1, 1]);
  // While the last write ran, the first three were written but not yet committed: one transaction.
  expect(seenByOthersDuring).toEqual([[], [], [], []]);
  // When the first promise settled, all four were committed.
  expect(seenByOthersAfter[0]).toEqual(["a", "b", "c", "d"]);
});

it("a write that fails in a batch fails alone: its partial work is undone and the others commit once", async () => {
  let runsOfB = 0;
  const results = await Promise.allSettled([
    group.run(insertRow("a")),
    group.run(() => {
      runsOfB++;
      db.prepare(`INSERT INTO log (name) VALUES ('b')`).run();
      // The second statement breaks the primary key: the whole write must go.
      insertRow("a")();
    }),
    group.run(insertRow("c")),
  ]);
  expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
  expect(committed("rows")).toEqual(["a", "c"]);
  expect(committed("log")).toEqual([]);
  // Tried in the batch, then alone.
  expect(runsOfB).toBe(2);
});

it("a write alone is its own transaction, and its failure leaves nothing", async () => {
  await expect(
    group.run(() => {
      insertRow("x")();
      throw new Error("changed its mind");
    }),
  ).rejects.toThrow("changed its mind");
  expect(committed("rows")).toEqual([]);
  await expect(group.run(insertRow("y"))).resolves.toBe(1);
  expect(committed("rows")).toEqual(["y"]);
});

it("when the commit itself cannot happen, every write of the batch is refused and none is written", async () => {
  // Another connection holds the write lock, and this test's retry gives up at once.
  const other = new Database(path.join(dir, "g.db"), { timeout: 0 });
  db.pragma("busy_timeout = 0");
  other.exec("BEGIN IMMEDIATE");
  try {
    const results = await Promise.allSettled([group.run(insertRow("p")), group.run(insertRow("q"))]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
  expect(committed("rows")).toEqual([]);
});
