import "server-only";

import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { type MailWorker, type QueuedMail, createMailWorker, enqueueMail, sealForOutbox } from "@/lib/mail/outbox";
import { type MailTransport, createMailTransport } from "@/lib/mail/transport";

import { db } from "./db";

interface MailService {
  transport: MailTransport;
  worker: MailWorker;
  started: boolean;
}

// One transport and one worker per process: Next's dev server re-evaluates
// modules on every change, and a second worker per reload would poll forever.
const globalForMail = globalThis as unknown as { ticketgateMail?: MailService };

function mailService(): MailService {
  globalForMail.ticketgateMail ??= build();
  return globalForMail.ticketgateMail;
}

function build(): MailService {
  const config = env();
  const transport = createMailTransport({ smtpUrl: config.SMTP_URL, outboxDir: config.OUTBOX_DIR, from: config.MAIL_FROM });
  const worker = createMailWorker({
    db: db(),
    secret: config.AUTH_SECRET,
    transport,
    onError(error, messageId) {
      // The worker hands delivery errors over with links removed; the id is enough to find the row.
      const message = error instanceof Error ? error.message : String(error);
      if (messageId) log("warn", "mail.failed", { messageId, error: message });
      else log("error", "mail.drain_failed", { error: message });
    },
  });
  return { transport, worker, started: false };
}

/**
 * Queues a mail and asks the worker to deliver it soon. Resolves once the
 * mail is safely in the outbox; delivery failures are the worker's business.
 * Throws when the outbox cannot be written, so the request can answer 503.
 */
export async function sendMail(mail: QueuedMail): Promise<{ id: string }> {
  const service = mailService();
  let queued: { id: string };
  try {
    queued = await enqueueMail(db(), env().AUTH_SECRET, mail);
  } catch (error) {
    // The template name and the error's code only: Prisma's messages can quote the recipient.
    const code = (error as { code?: unknown } | null)?.code;
    log("error", "mail.queue_failed", { template: mail.template, error: typeof code === "string" ? code : error instanceof Error ? error.name : "error" });
    throw error;
  }
  service.worker.kick();
  return queued;
}

/**
 * Seals a mail for the outbox without queueing it: for a ticket's mail, which
 * the ticket store queues in the transaction that creates the ticket
 * (`tickets().issue({ …, mail })`). Call mailQueued() once it is committed.
 */
export function sealedMail(mail: QueuedMail) {
  return sealForOutbox(env().AUTH_SECRET, mail);
}

/** Asks the worker to deliver soon: a mail was queued with its ticket. */
export function mailQueued(): void {
  mailService().worker.kick();
}

/** Starts delivering queued mail, polling every second. Idempotent. */
export function startMailWorker(): void {
  const service = mailService();
  if (service.started) return;
  service.started = true;
  service.worker.start(1000);
  process.once("SIGTERM", () => {
    // A listener replaces Node's default exit on SIGTERM. When no other part of
    // the process handles the signal (server.ts does), raise it again once
    // the drain in flight has finished, so the process still ends.
    const alone = process.listenerCount("SIGTERM") === 0;
    void service.worker.stop().finally(() => {
      service.transport.close();
      if (alone) process.kill(process.pid, "SIGTERM");
    });
  });
}
