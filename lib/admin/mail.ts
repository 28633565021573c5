// The mail outbox as administrators see it: how many messages are in each
// state, how late the oldest due one is, and the messages that failed for
// good (their bodies are wiped; what is left is who, which template, how
// many attempts and the relay's last answer). Never a body, never a link.
import type { Db } from "@/lib/db/client";
import type { Engine } from "@/lib/db/engine";
import { checkHealth } from "@/lib/health";

import { decodeCursor, encodeCursor } from "@/lib/db/cursor";

export const MAIL_STATES = ["pending", "sending", "sent", "failed"] as const;
export type MailState = (typeof MAIL_STATES)[number];

export interface MailOverview {
  counts: Record<MailState, number>;
  due: number;
  oldestDueSeconds: number | null;
}

export async function mailOverview(db: Db, engine: Engine, now: Date = new Date()): Promise<MailOverview> {
  const [grouped, health] = await Promise.all([db.mailMessage.groupBy({ by: ["state"], _count: { _all: true } }), checkHealth(db, engine, now)]);
  const counts = Object.fromEntries(MAIL_STATES.map((state) => [state, 0])) as Record<MailState, number>;
  for (const row of grouped) if ((MAIL_STATES as readonly string[]).includes(row.state)) counts[row.state as MailState] = row._count._all;
  return { counts, due: health.mail?.due ?? 0, oldestDueSeconds: health.mail?.oldestDueSeconds ?? null };
}

export interface MailRow {
  id: string;
  recipient: string;
  template: string;
  state: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Messages in one state, most recently changed first, by cursor. */
export async function listMail(db: Db, state: MailState, page: { cursor?: string | null; limit?: number } = {}): Promise<{ items: MailRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const after = decodeCursor(page.cursor);
  const rows = await db.mailMessage.findMany({
    where: { state, ...(after ? { OR: [{ updatedAt: { lt: after.at } }, { updatedAt: after.at, id: { lt: after.id } }] } : {}) },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, recipient: true, template: true, state: true, attempts: true, lastError: true, nextAttemptAt: true, sentAt: true, createdAt: true, updatedAt: true },
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.updatedAt, last.id) : null };
}
