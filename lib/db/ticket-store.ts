// Which ticket store a process uses for its database: the raw better-sqlite3
// store on SQLite (Prisma's per-query cost caps the API far below its goal,
// see bench/core.ts), the Prisma store on PostgreSQL. Both keep the same rows
// in the same format, so the rest of the app reads tickets through Prisma
// whichever store wrote them.
import type { TicketStore } from "@/lib/tickets/types";

import type { Db } from "./client";
import { engineOf } from "./engine";
import { PrismaTicketStore } from "./prisma-ticket-store";
import { SqliteTicketStore } from "./sqlite-ticket-store";

export interface OpenedTicketStore {
  store: TicketStore;
  /** Releases what the store opened itself (the SQLite handle); the Prisma client stays the caller's. */
  close(): void;
}

export function openTicketStore(url: string, db: Db): OpenedTicketStore {
  if (engineOf(url) === "sqlite") {
    const store = SqliteTicketStore.open(url);
    return { store, close: () => store.close() };
  }
  return { store: new PrismaTicketStore(db), close: () => {} };
}
