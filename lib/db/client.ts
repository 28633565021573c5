// One Prisma client type for both engines. The two generated clients come
// from the same models (scripts/db/schemas.ts), so the PostgreSQL client is
// used through the SQLite client's type.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient as PostgresClient } from "@/generated/prisma/postgresql/client";
import { PrismaClient as SqliteClient } from "@/generated/prisma/sqlite/client";

import { engineOf, sqlitePath } from "./engine";

export type Db = SqliteClient;
export type { Prisma } from "@/generated/prisma/sqlite/client";

export interface DbOptions {
  /** PostgreSQL schema (tests isolate themselves in one). Default: the server's search_path. */
  schema?: string;
  /** PostgreSQL pool size. Default: 10. */
  poolSize?: number;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  if (engineOf(url) === "sqlite") {
    // busy timeout: another process (a second instance, the migration runner) may hold the write lock briefly.
    const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePath(url)}`, timeout: 10_000 });
    return new SqliteClient({ adapter });
  }
  // The adapter's `schema` qualifies only the models' queries; the search_path puts raw SQL in the same schema.
  const pool = { connectionString: url, max: options.poolSize ?? 10, ...(options.schema ? { options: `-c search_path="${options.schema}"` } : {}) };
  const adapter = new PrismaPg(pool, options.schema ? { schema: options.schema } : undefined);
  return new PostgresClient({ adapter }) as unknown as Db;
}
