// The one composition root: the environment → the database, the ticket store
// and core, the mailer and the clock. Next.js pages and actions, server.ts's
// /v1 API, the scripts and the test harnesses all build on it, so a process
// holds one database client, one ticket store and one mail worker.
//
// Not server-only on purpose: server.ts and the scripts run it outside
// Next.js. Next's bundles and server.ts load separate copies of this module,
// so the process's runtime is kept on globalThis, where both find the same one.
import { ticketCancelledMail } from "@/emails/ticket-cancelled";
import { actionPaths } from "@/lib/action-paths";
import { type Db, createDb } from "@/lib/db/client";
import { type Engine, engineOf } from "@/lib/db/engine";
import { openTicketStore } from "@/lib/db/ticket-store";
import { type Env, env } from "@/lib/env";
import { type Mailer, createMailer } from "@/lib/mail/mailer";
import type { MailTransport } from "@/lib/mail/transport";
import { type Clock, type TicketService, type TicketStore, createTicketService, systemClock } from "@/lib/tickets";

export interface Runtime {
  config: Env;
  engine: Engine;
  clock: Clock;
  db: Db;
  /** The ticket store the core writes through (raw better-sqlite3 on SQLite, Prisma on PostgreSQL). */
  store: TicketStore;
  tickets: TicketService;
  mailer: Mailer;
  /** One round trip to the database (server.ts's outage probe). */
  ping(): Promise<unknown>;
  /** Stops the mail worker and closes every connection. */
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  /** Default: the system clock. Tests pass one they control. */
  clock?: Clock;
  /** Default: a client on DATABASE_URL. Tests pass their own (e.g. in a private PostgreSQL schema). */
  db?: Db;
  /** Default: SMTP_URL, or the development outbox. */
  transport?: MailTransport;
}

export function createRuntime(config: Env, overrides: RuntimeOverrides = {}): Runtime {
  const engine = engineOf(config.DATABASE_URL);
  const db = overrides.db ?? createDb(config.DATABASE_URL);
  const opened = openTicketStore(config.DATABASE_URL, db);
  const clock = overrides.clock ?? systemClock;
  const mailer = createMailer({ config, db, transport: overrides.transport });
  const tickets = createTicketService({
    store: opened.store,
    actionPaths,
    clock,
    defaultDomain: config.TICKET_DOMAIN,
    maxPayloadBytes: config.TICKET_MAX_PAYLOAD_BYTES,
    // A cancelled ticket's requester is told by mail (emails/ticket-cancelled.ts).
    notifyCancelled: (notice) => mailer.send(ticketCancelledMail(notice)),
  });
  return {
    config,
    engine,
    clock,
    db,
    store: opened.store,
    tickets,
    mailer,
    ping: () => db.$queryRaw`SELECT 1`,
    async close() {
      await mailer.stop();
      await opened.close();
      if (!overrides.db) await db.$disconnect();
    },
  };
}

const globalForRuntime = globalThis as unknown as { ticketgateRuntime?: Runtime };

/** The process's runtime, built from the environment on first use. */
export function runtime(): Runtime {
  globalForRuntime.ticketgateRuntime ??= createRuntime(env());
  return globalForRuntime.ticketgateRuntime;
}
