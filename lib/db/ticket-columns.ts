// The `tickets` columns the raw stores read and write, in one order: the
// better-sqlite3 store (lib/db/sqlite-ticket-store.ts) and the node-postgres
// store (lib/db/pg-ticket-store.ts) select, insert and return the same row.
import type { TicketRecord } from "@/lib/tickets/types";

export const TICKET_COLUMNS = [
  "id",
  "tokenHash",
  "type",
  "email",
  "userId",
  "projectId",
  "domain",
  "data",
  "payload",
  "maxUses",
  "usesLeft",
  "useCount",
  "openCount",
  "expiresAt",
  "state",
  "reason",
  "supersededById",
  "requestedFromIp",
  "requestedFromUa",
  "lastUsedAt",
  "lastUsedIp",
  "lastUsedUa",
  "endedAt",
  "createdAt",
  "updatedAt",
] as const satisfies readonly (keyof TicketRecord)[];

/** The columns as a select list: `"id", "tokenHash", …`. */
export const TICKET_COLUMN_LIST = TICKET_COLUMNS.map((column) => `"${column}"`).join(", ");
