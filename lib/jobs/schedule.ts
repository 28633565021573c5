import "server-only";

import { env } from "@/lib/env";
import { describeCleanup, runCleanupExclusive } from "@/lib/jobs/cleanup";
import { log } from "@/lib/log";
import { runtime } from "@/lib/runtime";


/** The first run waits a little, so a fleet restarting together does not clean up at start-up. */
const FIRST_RUN_DELAY_MS = 60_000;

const globalForCleanup = globalThis as unknown as { ticketgateCleanup?: NodeJS.Timeout };

/** Runs the clean-up job now, unless another instance is running it. */
export async function cleanUpNow() {
  const config = env();
  return runCleanupExclusive(config.DATABASE_URL, { db: runtime().db, tickets: runtime().tickets }, { retentionDays: config.TICKET_RETENTION_DAYS });
}

/** Every CLEANUP_INTERVAL_MINUTES (0: never; use `npm run cleanup` from cron). Idempotent. */
export function startCleanupSchedule(): void {
  const minutes = env().CLEANUP_INTERVAL_MINUTES;
  if (minutes === 0 || globalForCleanup.ticketgateCleanup) return;
  const run = async () => {
    const started = Date.now();
    try {
      const outcome = await cleanUpNow();
      if (outcome.ran) log("info", "cleanup.done", { summary: describeCleanup(outcome.result), removedTickets: outcome.result.tickets.removed, ms: Date.now() - started });
      else log("info", "cleanup.skipped", { reason: "another instance holds the lock" });
    } catch (error) {
      log("error", "cleanup.failed", { error: error instanceof Error ? error.message : String(error) });
    }
    globalForCleanup.ticketgateCleanup = setTimeout(run, minutes * 60_000).unref();
  };
  globalForCleanup.ticketgateCleanup = setTimeout(run, Math.min(FIRST_RUN_DELAY_MS, minutes * 60_000)).unref();
}
