// The process's mail: the outbox (lib/mail/outbox.ts) on the app's database,
// the transport that delivers it (lib/mail/transport.ts), and the worker
// that drains one into the other. lib/runtime builds one per process.
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { log } from "@/lib/log";
import type { OutboxMessage } from "@/lib/tickets";

import { type QueuedMail, createMailWorker, enqueueMail, sealForOutbox } from "./outbox";
import { type MailTransport, createMailTransport } from "./transport";

export interface Mailer {
  /**
   * Queues a mail that carries no ticket (a notice) and asks the worker to
   * deliver it soon. Resolves once it is safely in the outbox; throws when the
   * outbox cannot be written, so the request can answer 503.
   */
  send(mail: QueuedMail): Promise<{ id: string }>;
  /**
   * Seals a ticket's mail without queueing it: the ticket store queues it in
   * the transaction that creates the ticket (`tickets.issue({ …, mail })`).
   * Call queued() once that is committed.
   */
  seal(mail: QueuedMail): OutboxMessage;
  /** Asks the worker to deliver soon: a mail was queued with its ticket. */
  queued(): void;
  /** Starts delivering, polling every second. Idempotent. */
  start(): void;
  /** Stops after the delivery in flight, and closes the transport. */
  stop(): Promise<void>;
}

export function createMailer(options: { config: Pick<Env, "SMTP_URL" | "OUTBOX_DIR" | "MAIL_FROM" | "AUTH_SECRET">; db: Db; transport?: MailTransport }): Mailer {
  const { config, db } = options;
  const transport = options.transport ?? createMailTransport({ smtpUrl: config.SMTP_URL, outboxDir: config.OUTBOX_DIR, from: config.MAIL_FROM });
  const worker = createMailWorker({
    db,
    secret: config.AUTH_SECRET,
    transport,
    onError(error, messageId) {
      // The worker hands delivery errors over with links removed; the id is enough to find the row.
      const message = error instanceof Error ? error.message : String(error);
      if (messageId) log("warn", "mail.failed", { messageId, error: message });
      else log("error", "mail.drain_failed", { error: message });
    },
  });
  let started = false;
  return {
    async send(mail) {
      let queued: { id: string };
      try {
        queued = await enqueueMail(db, config.AUTH_SECRET, mail);
      } catch (error) {
        // The template name and the error's code only: Prisma's messages can quote the recipient.
        const code = (error as { code?: unknown } | null)?.code;
        log("error", "mail.queue_failed", { template: mail.template, error: typeof code === "string" ? code : error instanceof Error ? error.name : "error" });
        throw error;
      }
      worker.kick();
      return queued;
    },
    seal: (mail) => sealForOutbox(config.AUTH_SECRET, mail),
    queued: () => worker.kick(),
    start() {
      if (started) return;
      started = true;
      worker.start(1000);
    },
    async stop() {
      await worker.stop();
      transport.close();
    },
  };
}
