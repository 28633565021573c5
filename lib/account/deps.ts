// What the account flows need, passed in (like lib/sign-in/link.ts), so
// they run in integration tests on a real database and the real outbox with
// a clock the test controls. lib/account/account.server.ts wires the app's own.
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import type { QueuedMail } from "@/lib/mail/outbox";
import type { OutboxMessage, TicketService } from "@/lib/tickets";

export type AccountConfig = Pick<
  Env,
  | "APP_URL"
  | "AUTH_SECRET"
  | "TICKET_DOMAIN"
  | "SIGNUP"
  | "PASSWORD_RESET_TTL_MINUTES"
  | "SIGNUP_TTL_HOURS"
  | "EMAIL_CHANGE_TTL_DAYS"
  | "ACCOUNT_MAIL_MIN_INTERVAL_SECONDS"
  | "LOGIN_MAX_PER_IP_PER_HOUR"
  | "PASSWORD_MAX_FAILURES"
  | "PASSWORD_MAX_FAILURES_PER_IP"
  | "PASSWORD_FAILURE_WINDOW_MINUTES"
>;

export interface AccountDeps {
  db: Db;
  /** The ticket core; its clock is the clock of every flow (expiry, rate-limit windows). */
  tickets: TicketService;
  /** Seals a ticket's mail; the store queues it in the ticket's transaction. */
  sealMail(mail: QueuedMail): OutboxMessage;
  /** Told once a ticket's mail is committed, so delivery starts at once. */
  mailQueued(): void;
  /** Queues a mail that carries no ticket (notices). */
  sendMail(mail: QueuedMail): Promise<unknown>;
  config: AccountConfig;
}

/** Thrown when the core refuses what the flow built itself: a bug, never user input. */
export function unexpected(what: string, code: string): never {
  throw new Error(`${what}: ${code}`);
}
