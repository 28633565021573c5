// The /v1 API as server.ts runs it: one database client and one ticket
// service for the process, configured from the environment.
import { actions } from "@/lib/actions";
import { createDb } from "@/lib/db/client";
import { openTicketStore } from "@/lib/db/ticket-store";
import type { Env } from "@/lib/env";
import { log } from "@/lib/log";
import { createTicketService } from "@/lib/tickets";

import { createApiHandler } from "./handler";
import { createKeyResolver, createLiveTicketCounter } from "./projects";

export function createApiRuntime(config: Env) {
  const db = createDb(config.DATABASE_URL);
  const opened = openTicketStore(config.DATABASE_URL, db);
  const tickets = createTicketService({ store: opened.store, actions, defaultDomain: config.TICKET_DOMAIN, maxPayloadBytes: config.TICKET_MAX_PAYLOAD_BYTES });
  return {
    handle: createApiHandler({ tickets, keys: createKeyResolver(db), live: createLiveTicketCounter(db), trustProxy: config.TRUST_PROXY, onError: (error) => log("error", "api.error", { error: error instanceof Error ? error.message : String(error) }) }),
    /** One round trip to the database (server.ts's outage probe). */
    ping: () => db.$queryRaw`SELECT 1`,
    close: async () => {
      opened.close();
      await db.$disconnect();
    },
  };
}
