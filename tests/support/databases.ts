// Real databases for integration tests: a fresh SQLite file always, and a
// fresh PostgreSQL schema when TEST_POSTGRES_URL is set (CI sets it to the
// local server). Each test file gets its own, built from the migrations.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { type Db, createDb } from "@/lib/db/client";
import type { Engine } from "@/lib/db/engine";
import { migrate } from "@/lib/db/migrate";

export interface TestDatabase {
  engine: Engine;
  url: string;
  db: Db;
  /** PostgreSQL schema, when the engine is PostgreSQL. */
  schema?: string;
  /** Runs SQL directly (bypassing Prisma), for assertions about what is stored. */
  raw<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

export const engines: Engine[] = process.env.TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];

export async function createTestDatabase(engine: Engine, options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "ticketgate-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    await migrate(url);
    const db = createDb(url);
    return {
      engine,
      url,
      db,
      raw: <T,>(sql: string) => db.$queryRawUnsafe<T[]>(sql),
      async drop() {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  await migrate(url, { schema });
  const db = createDb(url, { schema, poolSize: options.poolSize ?? 16 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  return {
    engine,
    url,
    db,
    schema,
    raw: async <T,>(sql: string) => (await client.query(sql)).rows as T[],
    async drop() {
      await db.$disconnect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}
