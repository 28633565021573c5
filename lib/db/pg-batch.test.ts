// The batching itself; the statements it runs are tested on PostgreSQL by
// tests/db/ticket-store.test.ts (parallel uses, a failing event) and
// tests/api/live-ticket-limit.test.ts (parallel creates against a limit).
import pg from "pg";
import { expect, it } from "vitest";

import { PgBatch } from "./pg-batch";

function databaseError(message: string) {
  return new pg.DatabaseError(message, message.length, "error");
}

it("items that arrive together go in one batch, in order; one alone goes alone", async () => {
  const batches: number[][] = [];
  const alone: number[] = [];
  const batch = new PgBatch<number, number>(
    async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    },
    async (n) => {
      alone.push(n);
      return n * 10;
    },
  );
  expect(await Promise.all([1, 2, 3].map((n) => batch.run(n)))).toEqual([10, 20, 30]);
  expect(batches).toEqual([[1, 2, 3]]);
  expect(await batch.run(4)).toBe(40);
  expect(alone).toEqual([4]);
});

it("while the batches in flight are at their limit, new items wait and go together in the next", async () => {
  const batches: number[][] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const batch = new PgBatch<number, number>(
    async (items) => {
      batches.push(items);
      if (batches.length === 1) await held;
      return items;
    },
    async (n) => n,
    { maxInFlight: 1 },
  );
  const first = [batch.run(1), batch.run(2)];
  await new Promise((resolve) => setImmediate(resolve));
  const later = [3, 4, 5].map((n) => batch.run(n));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(batches).toEqual([[1, 2]]);
  release();
  expect(await Promise.all([...first, ...later])).toEqual([1, 2, 3, 4, 5]);
  expect(batches).toEqual([[1, 2], [3, 4, 5]]);
});

it("a batch the database refused runs again item by item, where only the failing item fails", async () => {
  const batch = new PgBatch<number, number>(
    async () => {
      throw databaseError("a trigger refused one row");
    },
    async (n) => {
      if (n === 2) throw databaseError("a trigger refused this row");
      return n;
    },
  );
  const results = await Promise.allSettled([1, 2, 3].map((n) => batch.run(n)));
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused this row/);
});

it("an error that is not the database's answer (a lost connection, which may come after the commit) fails every item and is never retried", async () => {
  let aloneRuns = 0;
  const batch = new PgBatch<number, number>(
    async () => {
      throw new Error("Connection terminated unexpectedly");
    },
    async (n) => {
      aloneRuns++;
      return n;
    },
  );
  const results = await Promise.allSettled([1, 2, 3].map((n) => batch.run(n)));
  expect(results.every((r) => r.status === "rejected" && /Connection terminated/.test(String(r.reason)))).toBe(true);
  expect(aloneRuns).toBe(0);
});
