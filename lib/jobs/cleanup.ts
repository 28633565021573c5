// The clean-up job (Bugzilla's CleanTokenTable, OTOBO's DeleteExpiredOTATokens):
// removes what has served its purpose, in small batches — each its own short
// transaction, with the event loop given back in between — so it never holds
// up ticket use. Run on a schedule inside the app (lib/jobs/schedule.ts) and
// by `npm run cleanup` for cron.
import type { Db } from "@/lib/db/client";
import { type JobRun, runExclusive } from "@/lib/db/job-lock";
import { pruneRateLimits } from "@/lib/db/rate-limit";
import type { CleanupReport, TicketService } from "@/lib/tickets";

export interface CleanupDeps {
  db: Db;
  tickets: TicketService;
  clock?: { now(): Date };
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
  loginCodes: number;
  /** Rate-limit windows that have ended. */
  rateLimitBuckets: number;
}

const DAY_MS = 86_400_000;

/** Deletes the rows `select` finds, `batchSize` at a time, until a batch comes back short. */
async function inBatches(select: (take: number) => Promise<{ id: string }[]>, remove: (ids: string[]) => Promise<{ count: number }>, batchSize: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const ids = (await select(batchSize)).map((row) => row.id);
    if (ids.length > 0) removed += (await remove(ids)).count;
    if (ids.length < batchSize) return removed;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runCleanup(deps: CleanupDeps, options: CleanupOptions): Promise<CleanupSummary> {
  const { db } = deps;
  const now = (deps.clock ?? { now: () => new Date() }).now();
  const batchSize = options.batchSize ?? 500;
  if (!(Number.isFinite(options.retentionDays) && options.retentionDays >= 0)) throw new RangeError("retentionDays must be 0 or more");
  const before = new Date(now.getTime() - options.retentionDays * DAY_MS);

  const tickets = await deps.tickets.cleanup(options.retentionDays * 86_400, batchSize);
  // Failed mail stays as long as ended tickets do: admins look into it.
  const mail = await inBatches(
    (take) => db.mailMessage.findMany({ where: { OR: [{ state: "sent", sentAt: { lt: before } }, { state: "failed", updatedAt: { lt: before } }] }, select: { id: true }, take }),
    (ids) => db.mailMessage.deleteMany({ where: { id: { in: ids } } }),
    batchSize,
  );
  const sessions = await inBatches(
    (take) => db.session.findMany({ where: { expires: { lt: now } }, select: { id: true }, take }),
    (ids) => db.session.deleteMany({ where: { id: { in: ids }, expires: { lt: now } } }),
    batchSize,
  );
  const loginCodes = await inBatches(
    (take) => db.loginCode.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take }),
    (ids) => db.loginCode.deleteMany({ where: { id: { in: ids } } }),
    batchSize,
  );
  // Buckets are tiny and keyed by text: one statement (the [resetAt] index finds them).
  const rateLimitBuckets = await pruneRateLimits(db, now);
  return { tickets, mail, sessions, loginCodes, rateLimitBuckets };
}

/**
 * The job as the schedule and `npm run cleanup` run it: on PostgreSQL only
 * where no other instance is running it (an advisory lock; see job-lock.ts).
 */
export function runCleanupExclusive(url: string, deps: CleanupDeps, options: CleanupOptions): Promise<JobRun<CleanupSummary>> {
  return runExclusive(url, "cleanup", () => runCleanup(deps, options));
}

/** One line for logs and the command's output. */
export function describeCleanup(summary: CleanupSummary): string {
  const byState = Object.entries(summary.tickets.byState)
    .map(([state, n]) => `${n} ${state}`)
    .join(", ");
  return `removed ${summary.tickets.removed} tickets${byState ? ` (${byState})` : ""}, ${summary.mail} mails, ${summary.sessions} sessions, ${summary.loginCodes} sign-in codes, ${summary.rateLimitBuckets} rate-limit windows`;
}
