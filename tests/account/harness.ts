// A real database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), the
// production ticket store on it, the real sealed outbox and a clock the test
// moves: everything the account flows (lib/account) need, nothing stubbed.
import { ticketCancelledMail } from "@/emails/ticket-cancelled";
import type { AccountConfig, AccountDeps } from "@/lib/account/deps";
import type { Engine } from "@/lib/db/engine";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { enqueueMail, sealForOutbox } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { type Actor, createActionPathRegistry, createTicketService } from "@/lib/tickets";
import { type TestClock, createTestClock } from "@/lib/tickets/test-clock";

import { type TestDatabase, createTestDatabase } from "../support/databases";

export const SECRET = "test-secret-test-secret-test-secret-!!";
export const APP_URL = "https://auth.example.com";
export const DOMAIN = "auth.example.com";
export const actor: Actor = { ip: "192.0.2.5", userAgent: "vitest" };

export const defaultConfig: AccountConfig = {
  APP_URL,
  AUTH_SECRET: "test-secret-test-secret-test-secret-test",
  TICKET_DOMAIN: DOMAIN,
  SIGNUP: "open",
  PASSWORD_RESET_TTL_MINUTES: 60,
  SIGNUP_TTL_HOURS: 24,
  EMAIL_CHANGE_TTL_DAYS: 3,
  ACCOUNT_MAIL_MIN_INTERVAL_SECONDS: 300,
  LOGIN_MAX_PER_IP_PER_HOUR: 1000,
  PASSWORD_MAX_FAILURES: 5,
  PASSWORD_MAX_FAILURES_PER_IP: 1000,
  PASSWORD_FAILURE_WINDOW_MINUTES: 15,
};

export interface Harness {
  t: TestDatabase;
  deps: AccountDeps;
  clock: TestClock;
  config: AccountConfig;
  mails(): Promise<{ to: string; template: string; subject: string; text: string; html: string }[]>;
  close(): Promise<void>;
}

export async function createHarness(engine: Engine): Promise<Harness> {
  const t = await createTestDatabase(engine, { poolSize: 20 });
  const opened: OpenedTicketStore = openTicketStore(t.url, t.db, { schema: t.schema });
  // Real time by default: rate-limit windows and ticket expiry both follow this clock.
  const clock = createTestClock(new Date());
  const config: AccountConfig = { ...defaultConfig };
  const tickets = createTicketService({
    store: opened.store,
    actionPaths: createActionPathRegistry(["account", "subrequest/:list"]),
    defaultDomain: DOMAIN,
    clock,
    // As lib/runtime wires it: a cancelled ticket's requester is told by mail.
    notifyCancelled: (notice) => enqueueMail(t.db, SECRET, ticketCancelledMail(notice)),
  });
  const deps: AccountDeps = {
    db: t.db,
    tickets,
    sealMail: (mail) => sealForOutbox(SECRET, mail),
    mailQueued: () => {},
    sendMail: (mail) => enqueueMail(t.db, SECRET, mail),
    config,
  };
  return {
    t,
    deps,
    clock,
    config,
    async mails() {
      const rows = await t.db.mailMessage.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      return rows.map((row) => ({ to: row.recipient, template: row.template, ...openMail(SECRET, row.sealed) }));
    },
    async close() {
      await opened.close();
      await t.drop();
    },
  };
}

/** The raw ticket in a mail's link. */
export function ticketIn(mail: { text: string }): string {
  const match = /https:\/\/auth\.example\.com\/ticket\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match) throw new Error(`no ticket link in: ${mail.text}`);
  return match[1]!;
}

/** Resets what one test leaves behind that would change the next one's answers. */
export async function clean(h: Harness): Promise<void> {
  Object.assign(h.config, defaultConfig);
  h.clock.set(new Date());
  await h.t.db.mailMessage.deleteMany({});
  await h.t.db.rateLimitBucket.deleteMany({});
}

let seq = 0;
export function address(label: string): string {
  return `${label}-${Date.now()}-${++seq}@example.com`;
}
