// npm run bench:query-builder — would a query builder cost the hot path much?
//
// The hot path's two statements — insert an API ticket, spend one use of a
// live ticket in its scope — on the real schema, one at a time, written two
// ways on each engine: on the raw driver as the stores run them (a prepared
// statement on better-sqlite3, a named prepared statement on node-postgres),
// and through Kysely (its SqliteDialect over the same better-sqlite3 handle,
// its PostgresDialect over a node-postgres pool of one). It prints ops/s and
// the CPU each costs: the process's, and on PostgreSQL the backend's too.
// PostgreSQL runs when BENCH_POSTGRES_URL (or a postgresql:// DATABASE_URL)
// names a server. The result is in docs/decisions/0019.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";

import { migrate } from "@/lib/db/migrate";

import { describeMachine } from "./machine";
import { type CpuScope, cpuBetween, cpuSnapshot, postgresDatabase, postgresUrl } from "./support";

const N = Number(process.env.BENCH_N ?? 5000);

/** The columns the two statements touch. */
interface TicketTable {
  id: string;
  tokenHash: string;
  type: string;
  projectId: string | null;
  domain: string;
  payload: string | null;
  maxUses: number | null;
  usesLeft: number | null;
  useCount: number;
  expiresAt: string | null;
  state: string;
  endedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdAt: string;
  updatedAt: string;
}
interface Schema {
  tickets: TicketTable;
}

interface Way {
  insert(hash: string, at: string, expires: string): Promise<unknown>;
  /** Spends one use; answers whether it did. */
  use(hash: string, at: string): Promise<boolean>;
}

const PROJECT = "project-1";
const row = (hash: string, at: string, expires: string): TicketTable => ({
  id: randomUUID(),
  tokenHash: hash,
  type: "api",
  projectId: PROJECT,
  domain: "example.com",
  payload: '{"user_id":9001}',
  maxUses: 1,
  usesLeft: 1,
  useCount: 0,
  expiresAt: expires,
  state: "open",
  endedAt: null,
  lastUsedAt: null,
  lastUsedIp: null,
  createdAt: at,
  updatedAt: at,
});
const COLUMNS = ["id", "tokenHash", "type", "projectId", "domain", "payload", "maxUses", "usesLeft", "useCount", "expiresAt", "state", "endedAt", "lastUsedAt", "lastUsedIp", "createdAt", "updatedAt"] as const;

/** The use, as the stores write it (lib/db/pg-ticket-store.ts), with `$n` or `?` placeholders. */
function spendSql(p: (n: number) => string) {
  return `UPDATE "tickets" SET "usesLeft" = "usesLeft" - 1, "useCount" = "useCount" + 1,
    "state" = CASE WHEN "usesLeft" = 1 THEN 'closed' ELSE "state" END,
    "endedAt" = CASE WHEN "usesLeft" = 1 THEN ${p(1)} ELSE "endedAt" END,
    "lastUsedAt" = ${p(1)}, "lastUsedIp" = '192.0.2.2', "updatedAt" = ${p(1)}
    WHERE "tokenHash" = ${p(2)} AND ("usesLeft" IS NULL OR "usesLeft" > 0) AND "state" = 'open' AND ("expiresAt" IS NULL OR "expiresAt" > ${p(1)})
      AND "domain" = 'example.com' AND "projectId" = ${p(3)} AND "type" = 'api'
    RETURNING *`;
}

function kyselyWay(db: Kysely<Schema>): Way {
  return {
    insert: (hash, at, expires) => db.insertInto("tickets").values(row(hash, at, expires)).execute(),
    async use(hash, at) {
      const spent = await db
        .updateTable("tickets")
        .set((eb) => ({
          usesLeft: eb("usesLeft", "-", 1),
          useCount: eb("useCount", "+", 1),
          state: eb.case().when("usesLeft", "=", 1).then("closed").else(eb.ref("state")).end(),
          endedAt: eb.case().when("usesLeft", "=", 1).then(at).else(eb.ref("endedAt")).end(),
          lastUsedAt: at,
          lastUsedIp: "192.0.2.2",
          updatedAt: at,
        }))
        .where("tokenHash", "=", hash)
        .where((eb) => eb.or([eb("usesLeft", "is", null), eb("usesLeft", ">", 0)]))
        .where("state", "=", "open")
        .where((eb) => eb.or([eb("expiresAt", "is", null), eb("expiresAt", ">", at)]))
        .where("domain", "=", "example.com")
        .where("projectId", "=", PROJECT)
        .where("type", "=", "api")
        .returningAll()
        .executeTakeFirst();
      return spent !== undefined;
    },
  };
}

interface Result {
  label: string;
  rate: number;
  /** µs of this process's CPU per operation. */
  process: number;
  /** µs of the database backends' CPU per operation (PostgreSQL). */
  backend: number | null;
}

async function run(label: string, way: Way, scope: CpuScope | null): Promise<Result[]> {
  const hashes = Array.from({ length: N }, () => randomUUID().replace(/-/g, "").repeat(2));
  const at = new Date().toISOString();
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const results: Result[] = [];
  for (const [operation, each] of [
    ["insert", (hash: string) => way.insert(hash, at, expires)],
    [
      "use",
      async (hash: string) => {
        if (!(await way.use(hash, at))) throw new Error("a use spent nothing");
      },
    ],
  ] as const) {
    const cpu = process.cpuUsage();
    const backends = scope ? cpuSnapshot(scope) : null;
    const started = performance.now();
    for (const hash of hashes) await each(hash);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    results.push({
      label: `${operation}, ${label}`,
      rate: N / seconds,
      process: (used.user + used.system) / N,
      backend: backends && scope ? cpuBetween(backends, cpuSnapshot(scope)) / N : null,
    });
  }
  return results;
}

function print(results: Result[]) {
  for (const r of results) {
    const backend = r.backend === null ? "" : `   database backend ${r.backend.toFixed(0).padStart(4)} µs/op`;
    console.log(`  ${r.label.padEnd(28)} ${r.rate.toFixed(0).padStart(7)} ops/s   process ${r.process.toFixed(0).padStart(4)} µs/op${backend}`);
  }
}

console.log(`bench:query-builder — ${N.toLocaleString("en")} inserts then ${N.toLocaleString("en")} uses, one at a time, raw driver against Kysely`);
console.log(`machine: ${describeMachine()}\n`);

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "ticketgate-bench-qb-"));
try {
  console.log("SQLite (better-sqlite3, WAL, synchronous = NORMAL)");
  for (const name of ["raw", "kysely"] as const) {
    const file = path.join(dir, `${name}.db`);
    await migrate(`file:${file}`);
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.prepare(`INSERT INTO api_projects (id, name, updatedAt) VALUES (?, 'bench', ?)`).run(PROJECT, new Date().toISOString());
    let way: Way;
    if (name === "raw") {
      const insert = db.prepare(`INSERT INTO "tickets" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
      const use = db.prepare(spendSql(() => "?"));
      way = {
        insert: async (hash, at, expires) => insert.run(...COLUMNS.map((c) => row(hash, at, expires)[c])),
        // The positional `?`s are at, at, at, hash, at, project.
        use: async (hash, at) => use.get(at, at, at, hash, at, PROJECT) !== undefined,
      };
    } else {
      way = kyselyWay(new Kysely<Schema>({ dialect: new SqliteDialect({ database: db }) }));
    }
    print(await run(name === "raw" ? "better-sqlite3" : "Kysely", way, null));
    db.close();
  }

  const server = postgresUrl;
  if (server) {
    console.log("\nPostgreSQL (node-postgres, one connection)");
    for (const name of ["raw", "kysely"] as const) {
      const database = await postgresDatabase(server);
      try {
        await migrate(database.url);
        const pool = new pg.Pool({ connectionString: database.url, max: 1 });
        await pool.query(`INSERT INTO api_projects (id, name, "createdAt", "updatedAt") VALUES ($1, 'bench', now(), now())`, [PROJECT]);
        let way: Way;
        let kysely: Kysely<Schema> | null = null;
        if (name === "raw") {
          const insertText = `INSERT INTO "tickets" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;
          const useText = spendSql((n) => `$${n}`);
          way = {
            insert: (hash, at, expires) => pool.query({ name: "insert", text: insertText, values: COLUMNS.map((c) => row(hash, at, expires)[c]) }),
            use: async (hash, at) => (await pool.query({ name: "use", text: useText, values: [at, hash, PROJECT] })).rowCount === 1,
          };
        } else {
          kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
          way = kyselyWay(kysely);
        }
        print(await run(name === "raw" ? "node-postgres" : "Kysely", way, { pid: -1, postgresDatabase: database.postgresDatabase }));
        if (kysely) await kysely.destroy();
        else await pool.end();
      } finally {
        await database.drop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
