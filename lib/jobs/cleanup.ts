// The clean-up job (Bugzilla's CleanTokenTable, OTOBO's DeleteExpiredOTATokens):
// removes what has served its purpose, in small batches — each its own short
// transaction, with the event loop given back in between — so it never holds
// up ticket use. Run on a schedule inside the app (lib/jobs/schedule.ts), by
// `npm run cleanup` for cron, and by the admin's "Clean up now" (audited).
import type { Db } from "@/lib/db/client";
import { type JobRun, runExclusive } from "@/lib/db/job-lock";
import { inTicketTransaction } from "@/lib/db/prisma-ticket-store";
import { pruneRateLimits } from "@/lib/db/rate-limit";
import { formatCount, formatNumber } from "@/lib/format";
import type { CleanupReport, Clock, TicketService, TicketState } from "@/lib/tickets";
import { STATE_LABELS } from "@/lib/tickets/outcomes";

export interface CleanupDeps {
  db: Db;
  tickets: TicketService;
  clock?: Clock;
  /**
   * Called with the totals so far after every batch, inside the batch's
   * transaction (each batch then runs in one Prisma transaction with the
   * ticket core bound to it): the admin's audit row, which so counts exactly
   * what is gone, however far the job got.
   */
  record?: (sofar: CleanupSummary, tx: Db) => Promise<void>;
}

export interface CleanupOptions {
  /** Days ended tickets, sent or failed mail are kept for the history and the admin pages. */
  retentionDays: number;
  /** Rows per transaction. */
  batchSize?: number;
}

export interface CleanupSummary {
  /** Tickets removed, by the state they ended in (open ones past expiry count as expired). */
  tickets: CleanupReport;
  /** Mail rows, sent or failed, older than the retention. */
  mail: number;
  /** Sessions past their expiry. */
  sessions: number;
  /** Sign-in codes past their expiry. */
  bindings: number;
  /** Rate-limit windows that have ended. */
  rateLimitBuckets: number;
  /** The OpenID Connect provider's records past their expiry (sessions, codes, tokens, grants, …). */
  oidc: number;
}

const DAY_MS = 86_400_000;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export async function runCleanup(deps: CleanupDeps, options: CleanupOptions): Promise<CleanupSummary> {
  const { record } = deps;
  const now = (deps.clock ?? { now: () => new Date() }).now();
  const batchSize = options.batchSize ?? 500;
  if (!(Number.isFinite(options.retentionDays) && options.retentionDays >= 0)) throw new RangeError("retentionDays must be 0 or more");
  const before = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const summary: CleanupSummary = { tickets: { removed: 0, byState: {} }, mail: 0, sessions: 0, bindings: 0, rateLimitBuckets: 0, oidc: 0 };

  /** One batch: on its own, or in one transaction with the caller's record of the totals. */
  const batch = async (work: (db: Db, tickets: TicketService) => Promise<void>): Promise<void> => {
    if (!record) return work(deps.db, deps.tickets);
    await inTicketTransaction(deps.db, deps.tickets, async (tx, tickets) => {
      await work(tx, tickets);
      await record(summary, tx);
    });
  };
  /** Deletes the rows `select` finds, `batchSize` at a time, until a batch comes back short. */
  const inBatches = async (select: (db: Db, take: number) => Promise<{ id: string }[]>, remove: (db: Db, ids: string[]) => Promise<{ count: number }>, count: (removed: number) => void) => {
    for (;;) {
      let found = 0;
      await batch(async (db) => {
        const ids = (await select(db, batchSize)).map((row) => row.id);
        found = ids.length;
        if (ids.length > 0) count((await remove(db, ids)).count);
      });
      if (found < batchSize) return;
      await nextTurn();
    }
  };

  for (;;) {
    let removed = 0;
    await batch(async (_db, tickets) => {
      const report = await tickets.cleanup(options.retentionDays * 86_400, batchSize, 1);
      removed = report.removed;
      summary.tickets = addReports(summary.tickets, report);
    });
    if (removed < batchSize) break;
    await nextTurn();
  }
  // Failed mail stays as long as ended tickets do: admins look into it.
  await inBatches(
    (db, take) => db.mailMessage.findMany({ where: { OR: [{ state: "sent", sentAt: { lt: before } }, { state: "failed", updatedAt: { lt: before } }] }, select: { id: true }, take }),
    (db, ids) => db.mailMessage.deleteMany({ where: { id: { in: ids } } }),
    (n) => (summary.mail += n),
  );
  await inBatches(
    (db, take) => db.session.findMany({ where: { expires: { lt: now } }, select: { id: true }, take }),
    (db, ids) => db.session.deleteMany({ where: { id: { in: ids }, expires: { lt: now } } }),
    (n) => (summary.sessions += n),
  );
  await inBatches(
    (db, take) => db.ticketBinding.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take }),
    (db, ids) => db.ticketBinding.deleteMany({ where: { id: { in: ids } } }),
    (n) => (summary.bindings += n),
  );
  // The provider's rows are keyed by (kind, id); a batch deletes the pairs it found, still expired.
  for (;;) {
    let found = 0;
    await batch(async (db) => {
      const rows = await db.oidcPayload.findMany({ where: { expiresAt: { lt: now } }, select: { kind: true, id: true }, take: batchSize });
      found = rows.length;
      if (rows.length > 0) summary.oidc += (await db.oidcPayload.deleteMany({ where: { expiresAt: { lt: now }, OR: rows.map(({ kind, id }) => ({ kind, id })) } })).count;
    });
    if (found < batchSize) break;
    await nextTurn();
  }
  // Buckets are tiny and keyed by text: one statement (the [resetAt] index finds them).
  await batch(async (db) => void (summary.rateLimitBuckets += await pruneRateLimits(db, now)));
  return summary;
}

function addReports(a: CleanupReport, b: CleanupReport): CleanupReport {
  const byState = { ...a.byState };
  for (const [state, n] of Object.entries(b.byState) as [TicketState, number][]) byState[state] = (byState[state] ?? 0) + n;
  return { removed: a.removed + b.removed, byState };
}

/**
 * The job as the schedule and `npm run cleanup` run it: on PostgreSQL only
 * where no other instance is running it (an advisory lock; see job-lock.ts).
 */
export function runCleanupExclusive(url: string, deps: CleanupDeps, options: CleanupOptions, lock: { schema?: string } = {}): Promise<JobRun<CleanupSummary>> {
  return runExclusive(url, "cleanup", () => runCleanup(deps, options), lock);
}

/** Tickets by the state they ended in, in the words people read: "2 used, 1 expired". */
export function describeStates(byState: Partial<Record<TicketState, number>>): string {
  return (Object.keys(STATE_LABELS) as TicketState[])
    .filter((state) => byState[state])
    .map((state) => `${formatNumber(byState[state]!)} ${STATE_LABELS[state].toLowerCase()}`)
    .join(", ");
}

/**
 * One line for logs, the command's output and the admin's audit row, in
 * words: "Removed 3 tickets (2 used, 1 expired), 4 mails, 1 session, 0
 * browser bindings and 0 rate-limit windows".
 */
export function describeCleanup(summary: CleanupSummary): string {
  const { tickets, mail, sessions, bindings, rateLimitBuckets, oidc } = summary;
  const states = describeStates(tickets.byState);
  return (
    `Removed ${formatCount(tickets.removed, "ticket")}${states ? ` (${states})` : ""}, ${formatCount(mail, "mail")}, ${formatCount(sessions, "session")}, ` +
    `${formatCount(bindings, "browser binding")}, ${formatCount(rateLimitBuckets, "rate-limit window")} and ${formatCount(oidc, "app sign-in record")}`
  );
}
