import "server-only";

import { actions } from "@/lib/actions";
import { openTicketStore } from "@/lib/db/ticket-store";
import { env } from "@/lib/env";
import { type TicketService, createTicketService } from "@/lib/tickets";

import { db } from "./db";

const globalForTickets = globalThis as unknown as { tickets?: TicketService };

/** The ticket core on the app's database. */
export function tickets(): TicketService {
  globalForTickets.tickets ??= createTicketService({
    store: openTicketStore(env().DATABASE_URL, db()).store,
    actions,
    defaultDomain: env().TICKET_DOMAIN,
    maxPayloadBytes: env().TICKET_MAX_PAYLOAD_BYTES,
  });
  return globalForTickets.tickets;
}
