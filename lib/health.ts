// What GET /api/health reports: whether the database answers, and the state of
// the mail outbox (due, failed for good, how late the oldest due mail is).
// 200 when the database answers, 503 when it does not — for load balancers.
// The outbox figures are for monitoring and administrators only: with a slow
// relay they would show whether a reset request queued a mail, which tells
// whether an address has an account.
// A database that neither answers nor refuses (packets dropped on the way)
// counts as unreachable after `timeoutMs`: the health check itself must
// answer quickly, or a supervisor would take a live process for a hung one.
import type { Db } from "@/lib/db/client";
import type { Engine } from "@/lib/db/engine";
import { hashSecret, sameHash } from "@/lib/secrets";

export interface Health {
  status: "ok" | "unavailable";
  database: { engine: Engine; reachable: boolean };
  /** null while the database is unreachable. */
  mail: { due: number; failed: number; oldestDueSeconds: number | null } | null;
}

/** How long the database may take to answer before the check says it is unreachable. */
export const HEALTH_TIMEOUT_MS = 1_500;

export async function checkHealth(db: Db, engine: Engine, now: Date = new Date(), options: { timeoutMs?: number } = {}): Promise<Health> {
  const check = async (): Promise<Health> => {
    await db.$queryRaw`SELECT 1`;
    const due = { state: { in: ["pending", "sending"] }, nextAttemptAt: { lte: now } };
    const [dueCount, failed, oldest] = await Promise.all([
      db.mailMessage.count({ where: due }),
      db.mailMessage.count({ where: { state: "failed" } }),
      db.mailMessage.findFirst({ where: due, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
    ]);
    const oldestDueSeconds = oldest ? Math.max(0, Math.floor((now.getTime() - oldest.nextAttemptAt.getTime()) / 1000)) : null;
    return { status: "ok", database: { engine, reachable: true }, mail: { due: dueCount, failed, oldestDueSeconds } };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("health check timed out")), options.timeoutMs ?? HEALTH_TIMEOUT_MS)));
  try {
    return await Promise.race([check(), timeout]);
  } catch {
    return { status: "unavailable", database: { engine, reachable: false }, mail: null };
  } finally {
    clearTimeout(timer);
  }
}

/** What anyone may see: up or down, and the engine. */
export type PublicHealth = Omit<Health, "mail">;

export function publicHealth({ status, database }: Health): PublicHealth {
  return { status, database };
}

/** Whether `authorization` is `Bearer <token>` for the configured monitoring token (never without one). */
export function isMonitoring(authorization: string | null, token: string | undefined): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  return sameHash(hashSecret(authorization.slice("Bearer ".length)), hashSecret(token));
}
