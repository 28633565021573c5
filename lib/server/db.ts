import "server-only";

import { type Db, createDb } from "@/lib/db/client";
import { env } from "@/lib/env";

// One client per process: Next's dev server re-evaluates modules on every
// change, so the client is kept on globalThis instead of in module scope.
const globalForDb = globalThis as unknown as { db?: Db };

export function db(): Db {
  globalForDb.db ??= createDb(env().DATABASE_URL);
  return globalForDb.db;
}
