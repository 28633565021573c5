// The mail outbox: requests only enqueue (one INSERT); a worker delivers off
// the request path, with retries and backoff. Several app instances may run
// workers on one database: each message is claimed with one conditional
// write, and only the worker whose write changed the row sends it.
//
// Delivery is at-least-once in the one case SMTP itself cannot rule out: a
// worker that dies (or outlives its lease) after the relay accepted a message
// but before the row says "sent". Leases are long compared with a send (the
// SMTP transport gives up after tens of seconds) to keep that window small.
//
// Plain Node, no Next.js: used by the app (lib/mail/mailer.ts), tests and scripts.
import type { Db } from "@/lib/db/client";
import type { OutboxMessage } from "@/lib/tickets/types";

import { type MailContent, openMail, sealMail } from "./seal";
import type { MailTransport } from "./transport";

export interface QueuedMail extends MailContent {
  to: string;
  /** Template name, for the admin view and logs (e.g. "login-link"). */
  template: string;
}

/** Longest lastError kept; relay answers can be long and are only a hint. */
const MAX_ERROR_LENGTH = 500;

/**
 * A mail as the outbox stores it, body sealed: for enqueueMail, and for the
 * ticket stores, which queue a ticket's mail in the transaction that creates
 * the ticket (IssueInput.mail).
 */
export function sealForOutbox(secret: string, mail: QueuedMail): OutboxMessage {
  // Header values with line breaks are how header injection starts; callers
  // validate addresses already, this is the last line of defence.
  if (/[\r\n]/.test(mail.to) || /[\r\n]/.test(mail.subject)) throw new TypeError("enqueueMail: the recipient and subject must be one line");
  if (!mail.to.trim()) throw new TypeError("enqueueMail: the recipient is empty");
  return { recipient: mail.to, template: mail.template, sealed: sealMail(secret, { subject: mail.subject, text: mail.text, html: mail.html }) };
}

/** Inserts a pending message with its body sealed. Throws when the database refuses (the caller answers 503). */
export async function enqueueMail(db: Db, secret: string, mail: QueuedMail, now: Date = new Date()): Promise<{ id: string }> {
  const message = sealForOutbox(secret, mail);
  const row = await db.mailMessage.create({
    data: { ...message, state: "pending", attempts: 0, nextAttemptAt: now },
    select: { id: true },
  });
  return { id: row.id };
}

export interface DrainResult {
  /** Messages the relay accepted in this drain. */
  sent: number;
  /** Messages given up on (maxAttempts reached, or the body cannot be opened). */
  failed: number;
  /** Messages that failed and are scheduled again. */
  retried: number;
}

export interface MailWorkerOptions {
  db: Db;
  /** The secret the bodies were sealed with (AUTH_SECRET). */
  secret: string;
  transport: MailTransport;
  clock?: { now(): Date };
  /** Candidates read per query. */
  batchSize?: number;
  /** Delivery attempts before a message is marked "failed". */
  maxAttempts?: number;
  /** How long a claim lasts; after it another worker may take the message over. */
  leaseMs?: number;
  /** Delay before the next attempt, given the number of attempts made so far (1 after the first failure). */
  backoff?: (attempt: number) => number;
  /**
   * Told about every failed delivery (with the message id) and every failed
   * drain (id null). Delivery errors arrive with sign-in links removed from
   * their message. Default: console.error.
   */
  onError?: (error: unknown, messageId: string | null) => void;
}

export interface MailWorker {
  /** Delivers every message due now (in batches) and returns what happened. Safe to call concurrently, here and elsewhere. */
  drainOnce(): Promise<DrainResult>;
  /** Polls every `intervalMs` (and drains once at once). */
  start(intervalMs?: number): void;
  /** Stops polling and waits for a drain in flight. */
  stop(): Promise<void>;
  /** Asks for a drain soon (after the current I/O), without overlapping a running one. */
  kick(): void;
}

const MAX_BACKOFF_MS = 15 * 60_000;

/** min(2^attempt s, 15 min), spread by ±25 % so messages that failed together do not retry together. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(2 ** attempt * 1000, MAX_BACKOFF_MS);
  return Math.min(Math.round(base * (0.75 + Math.random() * 0.5)), MAX_BACKOFF_MS);
}

interface Candidate {
  id: string;
  recipient: string;
  sealed: string;
  state: string;
  attempts: number;
  lockedUntil: Date | null;
}

export function createMailWorker(options: MailWorkerOptions): MailWorker {
  const { db, secret, transport } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const batchSize = positiveInteger(options.batchSize ?? 10, "batchSize");
  const maxAttempts = positiveInteger(options.maxAttempts ?? 8, "maxAttempts");
  const leaseMs = positiveInteger(options.leaseMs ?? 60_000, "leaseMs");
  const backoff = options.backoff ?? defaultBackoff;
  const onError =
    options.onError ??
    ((error: unknown, messageId: string | null) => {
      console.error(messageId ? `mail: delivery of message ${messageId} failed: ${errorMessage(error)}` : `mail: outbox drain failed: ${errorMessage(error)}`);
    });

  function delayAfter(attempt: number): number {
    const ms = backoff(attempt);
    // A broken backoff function must not turn into a tight retry loop.
    return Number.isFinite(ms) && ms >= 0 ? ms : defaultBackoff(attempt);
  }

  /** The one conditional write that makes a message this worker's. */
  async function claim(candidate: Candidate, now: Date): Promise<{ lockedUntil: Date; attempts: number } | null> {
    const lockedUntil = new Date(now.getTime() + leaseMs);
    // The row must still be exactly as seen: pending and due with the same
    // attempt count, or "sending" under the same expired lease. Whoever changes
    // it first wins; every other worker's write matches nothing.
    const seenAs =
      candidate.state === "pending"
        ? { state: "pending", attempts: candidate.attempts, nextAttemptAt: { lte: now } }
        : { state: "sending", attempts: candidate.attempts, lockedUntil: candidate.lockedUntil };
    const { count } = await db.mailMessage.updateMany({
      where: { id: candidate.id, ...seenAs },
      // The attempt is counted when it starts, so a message that kills its
      // worker every time still runs out of attempts instead of looping forever.
      data: { state: "sending", lockedUntil, attempts: { increment: 1 } },
    });
    return count === 1 ? { lockedUntil, attempts: candidate.attempts + 1 } : null;
  }

  async function deliver(candidate: Candidate, result: DrainResult): Promise<void> {
    const now = clock.now();
    // A takeover of a lease that ran out on its last attempt: that attempt
    // may or may not have reached the relay, and there are none left.
    if (candidate.state === "sending" && candidate.attempts >= maxAttempts) {
      const { count } = await db.mailMessage.updateMany({
        where: { id: candidate.id, state: "sending", attempts: candidate.attempts, lockedUntil: candidate.lockedUntil },
        data: { state: "failed", lockedUntil: null, sealed: "", lastError: "the worker delivering the last attempt stopped before finishing" },
      });
      if (count === 1) result.failed++;
      return;
    }

    const claimed = await claim(candidate, now);
    if (!claimed) return;
    const ours = { id: candidate.id, state: "sending", lockedUntil: claimed.lockedUntil };
    const attempts = claimed.attempts;

    // Failure: retry later, or give up when the attempts are spent.
    // Conditional on our lease: if another worker took the message over
    // meanwhile, its outcome is the one that counts.
    async function fail(error: unknown, message: string): Promise<void> {
      const giveUp = attempts >= maxAttempts;
      const after = clock.now();
      const { count } = await db.mailMessage.updateMany({
        where: ours,
        data: giveUp
          ? { state: "failed", lockedUntil: null, lastError: message, sealed: "" }
          : { state: "pending", lockedUntil: null, lastError: message, nextAttemptAt: new Date(after.getTime() + delayAfter(attempts)) },
      });
      if (count === 1) {
        if (giveUp) result.failed++;
        else result.retried++;
      }
      onError(withMessage(error, message), candidate.id);
    }

    let content: MailContent;
    try {
      content = openMail(secret, candidate.sealed);
    } catch (error) {
      // Almost always an instance started with a different AUTH_SECRET. Retried
      // like a failed send, so an instance with the right secret can still
      // deliver it; the body is kept until the attempts are spent.
      await fail(error, truncate(errorMessage(error)));
      return;
    }

    try {
      await transport.send({ to: candidate.recipient, ...content });
    } catch (error) {
      await fail(error, truncate(redact(errorMessage(error), content)));
      return;
    }

    // Unconditional on purpose: the relay has the message, whatever another
    // worker did with the row meanwhile. The body is wiped with the same
    // write; lastError stays, as the history of earlier attempts.
    await db.mailMessage.updateMany({
      where: { id: candidate.id },
      data: { state: "sent", sentAt: clock.now(), sealed: "", lockedUntil: null },
    });
    result.sent++;
  }

  async function drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0, retried: 0 };
    // Messages this drain has handled: one that failed with a zero backoff is
    // due again at once and would otherwise keep this drain busy forever.
    const handled: string[] = [];
    for (;;) {
      const now = clock.now();
      const candidates: Candidate[] = await db.mailMessage.findMany({
        where: {
          OR: [
            { state: "pending", nextAttemptAt: { lte: now } },
            { state: "sending", lockedUntil: { lt: now } },
          ],
          ...(handled.length > 0 ? { id: { notIn: handled } } : {}),
        },
        orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
        take: batchSize,
        select: { id: true, recipient: true, sealed: true, state: true, attempts: true, lockedUntil: true },
      });
      // One message at a time: a claim is taken just before its send, so the
      // lease measures one delivery rather than a whole batch.
      for (const candidate of candidates) {
        handled.push(candidate.id);
        await deliver(candidate, result);
      }
      if (candidates.length < batchSize) return result;
    }
  }

  // Scheduling: one drain at a time per worker; a kick or tick that arrives
  // during a drain asks for one more pass after it.
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let interval: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await drainOnce();
        } catch (error) {
          onError(error, null);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  }

  function kick(): void {
    if (stopped || immediate) return;
    immediate = setImmediate(() => {
      immediate = null;
      run();
    });
  }

  return {
    drainOnce,
    kick,
    start(intervalMs = 1000) {
      positiveInteger(intervalMs, "intervalMs");
      stopped = false;
      if (interval) return;
      interval = setInterval(run, intervalMs);
      // Polling alone must not keep a script's process alive.
      interval.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      interval = null;
      if (immediate) clearImmediate(immediate);
      immediate = null;
      await running;
    },
  };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`createMailWorker: ${name} must be a positive integer`);
  return value;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

/** Removes the body's links from an error message, should a relay or library echo them back. */
function redact(message: string, content: MailContent): string {
  let out = message;
  for (const url of new Set(content.text.match(/https?:\/\/[^\s<>"']+/g) ?? [])) out = out.split(url).join("[link]");
  return out;
}

/** The error as handed to onError: the redacted message, the original's name and code. */
function withMessage(error: unknown, message: string): Error {
  const out = new Error(message);
  if (error instanceof Error) out.name = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") Object.assign(out, { code });
  return out;
}
