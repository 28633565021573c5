// What the console reads. Every list is paged by cursor on an indexed order
// and every figure is a count on an index range: nothing here loads a whole
// table, so the pages stay fast on a large installation.
import type { Db } from "@/lib/db/client";
import { type Clock, TICKET_STATES, type TicketService, type TicketState } from "@/lib/tickets";

import { decodeCursor, encodeCursor } from "@/lib/db/cursor";

const DAY = 86_400_000;

/** Tickets by state, as the core reports them: an open ticket past its expiry counts as expired. */
export async function ticketCounts(tickets: Pick<TicketService, "count">): Promise<Record<TicketState, number>> {
  const counts = await Promise.all(TICKET_STATES.map((state) => tickets.count({ state })));
  return Object.fromEntries(TICKET_STATES.map((state, i) => [state, counts[i]!])) as Record<TicketState, number>;
}

export interface DayPoint {
  /** YYYY-MM-DD, UTC. */
  day: string;
  issued: number;
  used: number;
  expired: number;
}

/**
 * Tickets issued, used and expired per UTC day over the last `days` days.
 * Issued counts tickets by creation (the [createdAt, id] index); used counts
 * tickets of one use closed that day (their row is their use, on the
 * [state, endedAt, maxUses] index) and the "used" events of tickets of
 * several uses (the [kind, at] index). Expired counts tickets whose expiry fell on that day
 * while they were still unused-up and not cancelled — open past expiry or
 * recorded as expired — on the [state, expiresAt] index: a link nobody
 * looked at again has no "expired" event, but it did expire. Every figure is
 * a count on an index range, portable across SQLite and PostgreSQL and
 * bounded whatever the volume.
 */
export async function dailyActivity(db: Db, clock: Clock, days = 30): Promise<DayPoint[]> {
  const now = clock.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const starts = Array.from({ length: days }, (_, i) => today - (days - 1 - i) * DAY);
  const range = (start: number) => ({ gte: new Date(start), lt: new Date(Math.min(start + DAY, now.getTime() + 1)) });
  const counts = await Promise.all(
    starts.flatMap((start) => [
      db.ticket.count({ where: { createdAt: range(start) } }),
      // A ticket of one use records its use on its row, closing it; each use of one with several is an event.
      db.ticket.count({ where: { state: "closed", endedAt: range(start), maxUses: 1 } }),
      db.ticketEvent.count({ where: { kind: "used", at: range(start) } }),
      db.ticket.count({ where: { state: { in: ["open", "expired"] }, expiresAt: range(start) } }),
    ]),
  );
  return starts.map((start, i) => ({
    day: new Date(start).toISOString().slice(0, 10),
    issued: counts[i * 4]!,
    used: counts[i * 4 + 1]! + counts[i * 4 + 2]!,
    expired: counts[i * 4 + 3]!,
  }));
}

export interface ScannerShare {
  /** Sign-in links issued in the window. */
  issued: number;
  /** Of those, links opened at least once and never used. */
  openedNotUsed: number;
  /** openedNotUsed / issued, 0..1 (0 when nothing was issued). */
  share: number;
  /** Of those issued, links opened in a browser that did not ask for them (scanners, or the person's other device). */
  openedElsewhere: number;
}

/**
 * Sign-in links issued in the last `days` days that were opened (the
 * confirmation page was fetched) but never used: a mail scanner or preview
 * fetched the link, or the person never pressed the button.
 */
export async function openedWithoutUse(db: Db, clock: Clock, days = 30): Promise<ScannerShare> {
  const since = new Date(clock.now().getTime() - days * DAY);
  // Every sign-in link has an address; saying so lets the index by kind (which leaves out API tickets) serve it.
  const base = { type: "login", email: { not: null }, createdAt: { gte: since } };
  const [issued, openedNotUsed, openedElsewhere] = await Promise.all([
    db.ticket.count({ where: base }),
    db.ticket.count({ where: { ...base, openCount: { gt: 0 }, useCount: 0 } }),
    db.ticket.count({ where: { ...base, events: { some: { kind: "opened_elsewhere" } } } }),
  ]);
  return { issued, openedNotUsed, share: issued ? openedNotUsed / issued : 0, openedElsewhere };
}

/** One ticket for its console page: the core's view and history, and the account and API project it belongs to. */
export async function ticketDetail(db: Db, tickets: Pick<TicketService, "get">, ticketId: string) {
  const found = await tickets.get(ticketId);
  if (!found) return null;
  const { ticket } = found;
  const [project, user] = await Promise.all([
    ticket.projectId ? db.apiProject.findUnique({ where: { id: ticket.projectId }, select: { id: true, name: true } }) : null,
    ticket.userId ? db.user.findUnique({ where: { id: ticket.userId }, select: { id: true, email: true } }) : null,
  ]);
  return { ...found, project, user };
}

// ---------------------------------------------------------------------------
// Users and sessions
// ---------------------------------------------------------------------------

/** Users by address, a page at a time; `q` searches inside the address. The cursor is the last address shown. */
export async function listUsers(db: Db, query: { q?: string; cursor?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const after = query.cursor ? Buffer.from(query.cursor, "base64url").toString("utf8") : null;
  const rows = await db.user.findMany({
    // Addresses are stored lower-cased (lib/forms/email.ts), so a lower-cased search matches on both engines.
    where: { email: { ...(query.q ? { contains: query.q.toLowerCase() } : {}), ...(after ? { gt: after } : {}) } },
    orderBy: { email: "asc" },
    take: limit + 1,
    select: { id: true, email: true, role: true, disabled: true, createdAt: true, _count: { select: { sessions: true } } },
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(last.email, "utf8").toString("base64url") : null };
}

export async function userDetail(db: Db, clock: Clock, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, emailVerified: true } });
  if (!user) return null;
  const sessions = await db.session.findMany({ where: { userId, expires: { gt: clock.now() } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 });
  return { user, sessions };
}

/** Live sessions, newest first, with their user's address. */
export async function listSessions(db: Db, clock: Clock, page: { cursor?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const after = decodeCursor(page.cursor);
  const rows = await db.session.findMany({
    where: { expires: { gt: clock.now() }, ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, createdAt: true, expires: true, ipAddress: true, userAgent: true, user: { select: { id: true, email: true } } },
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

// ---------------------------------------------------------------------------
// API projects
// ---------------------------------------------------------------------------

/** Every project's id and name, by name: the ticket filter's choices and the names in its list. */
export function projectNames(db: Db): Promise<{ id: string; name: string }[]> {
  return db.apiProject.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

/** Projects with their usage: live (open, unexpired) tickets, all tickets kept, the last use of any key. */
export async function listProjects(db: Db, tickets: Pick<TicketService, "count" | "countLive">) {
  const projects = await db.apiProject.findMany({ orderBy: { name: "asc" }, include: { keys: { orderBy: { createdAt: "desc" } } } });
  return Promise.all(
    projects.map(async (project) => {
      const [live, total] = await Promise.all([tickets.countLive({ projectId: project.id }), tickets.count({ projectId: project.id })]);
      const lastKeyUse = project.keys.reduce<Date | null>((latest, key) => (key.lastUsedAt && (!latest || key.lastUsedAt > latest) ? key.lastUsedAt : latest), null);
      return { ...project, keys: project.keys.map(({ keyHash, ...key }) => (void keyHash, key)), usage: { live, total, lastKeyUse } };
    }),
  );
}
