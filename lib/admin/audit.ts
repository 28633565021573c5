// The audit trail: every administrator action writes one AuditEvent row —
// who, what, on what, when, from where — in the same transaction as the
// change whenever the change is a plain database write.
import type { Db, Prisma } from "@/lib/db/client";
import type { Actor, Clock } from "@/lib/tickets";

import { decodeCursor, encodeCursor } from "@/lib/db/cursor";

/** What each recorded action is called in the console; the stored names are for queries and scripts. */
const ACTION_LABELS: Record<string, string> = {
  "ticket.cancel": "Cancelled a ticket",
  "tickets.cleanup": "Ran the clean-up",
  "user.grant-admin": "Made an administrator",
  "user.remove-admin": "Removed an administrator",
  "user.disable": "Disabled an account",
  "user.enable": "Enabled an account",
  "session.revoke": "Signed a session out",
  "project.create": "Created an API project",
  "project.update": "Changed an API project",
  "key.create": "Created an API key",
  "key.revoke": "Revoked an API key",
  "app.create": "Registered an app",
  "app.update": "Changed an app",
  "app.rotate-secret": "Gave an app a new secret",
  "app.delete": "Deleted an app",
};

const TARGET_LABELS: Record<string, string> = { ticket: "Ticket", tickets: "Tickets", user: "Person", session: "Session", project: "API project", api_key: "API key", app: "App" };

/** An audit action in words ("Cancelled a ticket"); an action this console does not know keeps its stored name. */
export function auditActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** What an audit row is about, in words ("API key"). */
export function auditTargetLabel(targetType: string): string {
  return TARGET_LABELS[targetType] ?? targetType;
}

/** The administrator and the request an action came from. */
export interface AdminContext {
  /** id is null for the command line (`npm run admin:grant`), which has no signed-in user. */
  admin: { id: string | null; email: string };
  actor: Actor;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Short human-readable detail; never a secret (no ticket values, no keys). */
  detail?: string | null;
}

export function auditRow(ctx: AdminContext, entry: AuditEntry, clock: Clock): Prisma.AuditEventCreateInput {
  return {
    at: clock.now(),
    actorId: ctx.admin.id,
    actorEmail: ctx.admin.email,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    detail: entry.detail?.slice(0, 1000) ?? null,
    ip: ctx.actor.ip ?? null,
    userAgent: ctx.actor.userAgent?.slice(0, 400) ?? null,
  };
}

/** Audit events, newest first, by (at, id) cursor. */
export async function listAudit(db: Db, page: { cursor?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const after = decodeCursor(page.cursor);
  const rows = await db.auditEvent.findMany({
    where: after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {},
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
}
