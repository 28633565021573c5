// What GET /api/health reports: whether the database answers, and the state of
// the mail outbox (due, failed for good, how late the oldest due mail is).
// 200 when the database answers, 503 when it does not — for load balancers.
import type { Db } from "@/lib/db/client";
import type { Engine } from "@/lib/db/engine";

export interface Health {
  status: "ok" | "unavailable";
  database: { engine: Engine; reachable: boolean };
  /** null while the database is unreachable. */
  mail: { due: number; failed: number; oldestDueSeconds: number | null } | null;
}

export async function checkHealth(db: Db, engine: Engine, now: Date = new Date()): Promise<Health> {
  try {
    await db.$queryRaw`SELECT 1`;
    const due = { state: { in: ["pending", "sending"] }, nextAttemptAt: { lte: now } };
    const [dueCount, failed, oldest] = await Promise.all([
      db.mailMessage.count({ where: due }),
      db.mailMessage.count({ where: { state: "failed" } }),
      db.mailMessage.findFirst({ where: due, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
    ]);
    const oldestDueSeconds = oldest ? Math.max(0, Math.floor((now.getTime() - oldest.nextAttemptAt.getTime()) / 1000)) : null;
    return { status: "ok", database: { engine, reachable: true }, mail: { due: dueCount, failed, oldestDueSeconds } };
  } catch {
    return { status: "unavailable", database: { engine, reachable: false }, mail: null };
  }
}
