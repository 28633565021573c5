// Applies the SQL migrations in prisma/migrations/<engine>/ in order, keeping
// Prisma's own `_prisma_migrations` bookkeeping (same table, same checksums),
// so `prisma migrate deploy` and this runner can take turns on one database.
// Prisma 7's CLI needs a schema-engine binary for that, which cannot be
// downloaded everywhere; this runner needs only the database driver.
// See docs/decisions/0003-migrations-without-the-schema-engine.md.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import { type Engine, engineOf, sqlitePath } from "./engine";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  engine: Engine;
  applied: string[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  /** PostgreSQL schema to create and migrate (tests use one per run). Default: the connection's default (public). */
  schema?: string;
  /** Where migrations live. Default: prisma/migrations. */
  dir?: string;
}

/** Prisma's advisory lock key for migrations, so two starting instances never migrate at once. */
const PG_MIGRATION_LOCK = 72707369;

export function readMigrations(engine: Engine, dir = MIGRATIONS_DIR): Migration[] {
  const root = path.join(dir, engine);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(root, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function migrate(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const engine = engineOf(url);
  const migrations = readMigrations(engine, options.dir);
  return engine === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations, options.schema);
}

interface Applied {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function pending(migrations: Migration[], applied: Applied[]): Migration[] {
  const failed = applied.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `migration ${failed.migration_name} failed earlier and was not resolved; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name}) or delete its row from _prisma_migrations`,
    );
  }
  const done = new Map(applied.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row.checksum]));
  for (const [name, checksum] of done) {
    const local = migrations.find((m) => m.name === name);
    if (local && local.checksum !== checksum) {
      throw new Error(`migration ${name} was changed after it was applied (checksum differs); add a new migration instead of editing an applied one`);
    }
  }
  return migrations.filter((m) => !done.has(m.name));
}

function migrateSqlite(url: string, migrations: Migration[]): MigrateResult {
  const file = sqlitePath(url);
  if (file !== ":memory:" && !file.startsWith(":")) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    // WAL lets readers run beside the single writer; it is a property of the file, set once.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    // BEGIN IMMEDIATE takes the write lock up front: two processes starting together apply each migration once.
    const run = db.transaction(() => {
      const applied = db.prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`).all() as Applied[];
      const todo = pending(migrations, applied);
      for (const m of todo) {
        const started = new Date().toISOString();
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
      }
      return { engine: "sqlite" as const, applied: todo.map((m) => m.name), alreadyApplied: migrations.length - todo.length };
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[], schema?: string): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
    }
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const { rows } = await client.query<Applied>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
      const todo = pending(migrations, rows);
      for (const m of todo) {
        // PostgreSQL DDL is transactional: a migration applies whole or not at all.
        await client.query("BEGIN");
        try {
          const started = new Date();
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
            [randomUUID(), m.checksum, m.name, started],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed: ${(error as Error).message}`);
        }
      }
      return { engine: "postgresql", applied: todo.map((m) => m.name), alreadyApplied: migrations.length - todo.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}
