// Which ticket store a process uses for its database: the raw better-sqlite3
// store on SQLite, and on PostgreSQL the node-postgres store for the hot path
// over the Prisma store for the rest (Prisma's per-query cost and round trips
// cap the API far below its goal: bench/api.ts, docs/decisions/0016). They
// keep the same rows in the same format, so the rest of the app reads tickets
// through Prisma whichever store wrote them.
import type { TicketStore } from "@/lib/tickets/types";

import type { Db, DbOptions } from "./client";
import { engineOf } from "./engine";
import { PgTicketStore } from "./pg-ticket-store";
import { SqliteTicketStore } from "./sqlite-ticket-store";

export interface OpenedTicketStore {
  store: TicketStore;
  /** Releases what the store opened itself (the SQLite handle, the PostgreSQL pool); the Prisma client stays the caller's. */
  close(): Promise<void>;
}

/** `options` as given to createDb for `db` (the PostgreSQL schema and pool size). */
export function openTicketStore(url: string, db: Db, options: DbOptions = {}): OpenedTicketStore {
  if (engineOf(url) === "sqlite") {
    const store = SqliteTicketStore.open(url, { checkpointInBackground: true });
    return { store, close: () => store.close() };
  }
  const store = PgTicketStore.open(url, db, options);
  return { store, close: () => store.close() };
}
