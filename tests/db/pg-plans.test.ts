// A use of a ticket must find its row by the ticket's own key, whatever the
// planner knows. The hot path's statements are named prepared statements
// (lib/db/pg-ticket-store.ts): after five runs PostgreSQL may keep one generic
// plan for the connection's life, chosen from the statistics of that moment.
// On a table that grew faster than autovacuum analyzed it, an index on
// (projectId, state) once looked as cheap as the unique index on tokenHash, and
// every use then scanned all its project's open tickets: 15 ms of database CPU
// per use at 50,000 open tickets instead of 0.4 ms (docs/decisions/0019).
//
// This test builds that worst case — many open tickets of one project, never
// analyzed — and asks PostgreSQL which index each shape of use would take,
// under a forced generic plan and a forced custom one.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { briefSpendManyStatement, spendStatement } from "@/lib/db/pg-ticket-store";
import type { SpendKey, SpendScope } from "@/lib/tickets/types";

import { type TestDatabase, createTestDatabase } from "../support/databases";

const TICKETS = 20_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** The nodes that read `tickets`, with how they read it. */
function ticketReads(node: PlanNode): PlanNode[] {
  const own = node["Relation Name"] === "tickets" && node["Node Type"] !== "ModifyTable" ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(ticketReads)];
}

/** The indexes a read of `tickets` goes through (a bitmap may combine several). */
function indexesUnder(node: PlanNode): string[] {
  return [...(node["Index Name"] ? [node["Index Name"]] : []), ...(node.Plans ?? []).flatMap(indexesUnder)];
}

/** A value as an SQL literal, for EXECUTE's arguments. */
function literal(value: unknown): string {
  if (value === null) return "NULL";
  if (Array.isArray(value)) return `'{${value.map((each) => (each === null ? "NULL" : `"${String(each)}"`)).join(",")}}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

describe.skipIf(!process.env.TEST_POSTGRES_URL)("a use finds its ticket by its own key on PostgreSQL, however stale the statistics", () => {
  let t: TestDatabase;
  let client: pg.Client;
  const hash = (i: number) => i.toString(16).padStart(64, "0");

  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    // The worst case: the planner has never seen the table's contents.
    await t.raw(`ALTER TABLE tickets SET (autovacuum_enabled = false)`);
    await t.raw(`INSERT INTO api_projects (id, name, "createdAt", "updatedAt") VALUES ('project-1', 'one', now(), now())`);
    await t.raw(
      `INSERT INTO tickets (id, "tokenHash", type, email, "projectId", domain, "maxUses", "usesLeft", "expiresAt", state, "createdAt", "updatedAt")
       SELECT 'ticket-' || n, lpad(to_hex(n), 64, '0'), 'api', NULL, 'project-1', 'example.com', 1, 1, now() + interval '1 hour', 'open', now(), now()
       FROM generate_series(1, ${TICKETS}) AS n`,
    );
    client = new pg.Client({ connectionString: t.url, options: `-c search_path="${t.schema}"` });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await t?.drop();
  });

  const actor = { ip: "192.0.2.1", userAgent: "bench" };
  const shapes: [string, () => SpendKey, SpendScope, string][] = [
    ["an API use (by hash, in its project, domain and kind)", () => ({ tokenHash: hash(7) }), { domain: "example.com", projectId: "project-1", types: ["api"] }, "tickets_tokenHash_key"],
    ["a person's use (by hash, no project)", () => ({ tokenHash: hash(8) }), { domain: "example.com", projectId: null, types: ["login"] }, "tickets_tokenHash_key"],
    ["a use by the console (by id, any scope)", () => ({ id: "ticket-9" }), {}, "tickets_pkey"],
  ];

  for (const mode of ["force_generic_plan", "force_custom_plan"] as const) {
    it.each(shapes)(`%s reads one index entry under ${mode}`, async (_label, key, scope, index) => {
      const statement = spendStatement(key(), scope, new Date(), actor);
      await client.query(`SET plan_cache_mode = ${mode}`);
      await client.query(`PREPARE spend AS ${statement.text}`);
      try {
        const result = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) EXECUTE spend(${statement.values.map(literal).join(", ")})`);
        const reads = ticketReads(result.rows[0]!["QUERY PLAN"][0]!.Plan);
        expect(reads).toHaveLength(1);
        expect(reads[0]).toMatchObject({ "Node Type": "Index Scan", "Index Name": index });
      } finally {
        await client.query("DEALLOCATE spend");
      }
    });
  }

  for (const mode of ["force_generic_plan", "force_custom_plan"] as const) {
    it(`a batch of API uses reads each ticket through the hash's unique index under ${mode}`, async () => {
      const asked = [3, 4, 5].map((i) => ({ tokenHash: hash(i), scope: { projectId: "project-1", types: ["api"] as const }, now: new Date(), actor }));
      const statement = briefSpendManyStatement(asked);
      await client.query(`SET plan_cache_mode = ${mode}`);
      await client.query(`PREPARE spend_many AS ${statement.text}`);
      try {
        const result = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) EXECUTE spend_many(${statement.values.map(literal).join(", ")})`);
        const plan = JSON.stringify(result.rows[0]!["QUERY PLAN"][0]!.Plan);
        const reads = ticketReads(result.rows[0]!["QUERY PLAN"][0]!.Plan);
        expect(reads, plan).toHaveLength(1);
        // An index scan of the hashes, or a bitmap of them: the hash's index alone either way.
        expect(["Index Scan", "Bitmap Heap Scan"], plan).toContain(reads[0]!["Node Type"]);
        expect(indexesUnder(reads[0]!), plan).toEqual(["tickets_tokenHash_key"]);
      } finally {
        await client.query("DEALLOCATE spend_many");
      }
    });
  }

  it("a batch spends each ticket it names once, even when two of its uses name the same ticket", async () => {
    const at = new Date();
    const asked = [21, 22, 21, 23].map((i) => ({ tokenHash: hash(i), scope: { projectId: "project-1", types: ["api"] as const }, now: at, actor }));
    const statement = briefSpendManyStatement(asked);
    const { rows } = await client.query<{ n: number; id: string }>(statement);
    expect(rows.map((row) => row.id).sort()).toEqual(["ticket-21", "ticket-22", "ticket-23"]);
    // Positions 1 or 3 for the ticket named twice: one of its askers got it.
    expect(rows.map((row) => row.n).filter((n) => n !== 2 && n !== 4)).toHaveLength(1);
    expect((await client.query(briefSpendManyStatement(asked))).rows).toEqual([]);
  });

  it("spends the ticket it found: the plan is the one that runs", async () => {
    const statement = spendStatement({ tokenHash: hash(11) }, { domain: "example.com", projectId: "project-1", types: ["api"] }, new Date(), actor);
    const first = await client.query({ name: statement.name, text: statement.text, values: statement.values });
    const again = await client.query({ name: statement.name, text: statement.text, values: statement.values });
    expect(first.rows).toMatchObject([{ id: "ticket-11", usesLeft: 0, state: "closed" }]);
    expect(again.rows).toEqual([]);
  });
});
