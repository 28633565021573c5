// The /v1 API as server.ts runs it: one database client and one ticket
// service for the process, configured from the environment.
import { actions } from "@/lib/actions";
import { createDb } from "@/lib/db/client";
import { PrismaTicketStore } from "@/lib/db/prisma-ticket-store";
import type { Env } from "@/lib/env";
import { createTicketService } from "@/lib/tickets";

import { createApiHandler } from "./handler";
import { createKeyResolver, createLiveTicketCounter } from "./projects";

export function createApiRuntime(config: Env) {
  const db = createDb(config.DATABASE_URL);
  const tickets = createTicketService({ store: new PrismaTicketStore(db), actions, defaultDomain: config.TICKET_DOMAIN, maxPayloadBytes: config.TICKET_MAX_PAYLOAD_BYTES });
  return {
    handle: createApiHandler({ tickets, keys: createKeyResolver(db), live: createLiveTicketCounter(db), trustProxy: config.TRUST_PROXY }),
    close: () => db.$disconnect(),
  };
}
