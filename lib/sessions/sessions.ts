// Sessions are rows (docs/design.md, "Sessions are server-side rows"): this
// module opens and ends them, one function per operation, so every sign-out —
// the person's, an administrator's, a password change's — ends them the same
// way. Each takes the app's client or a transaction's, so a caller can end
// sessions in the same transaction as the change that requires it.
import type { Db } from "@/lib/db/client";
import { hashSecret, newSecret } from "@/lib/secrets";

/** The app's database client, or the client of a transaction under way. */
export type SessionDb = Pick<Db, "session">;

/** Who opened a session, kept for the account page and the console. */
export interface SessionOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * A new session row for `userId`; returns the cookie value, which is stored
 * only as its hash — or null when the account is disabled (or gone). The
 * check is a write on the account's row in the session's own transaction: an
 * administrator disabling the account at the same moment either went first
 * (and this finds it disabled) or waits for this transaction and then ends
 * the session with the others. A check before it would leave a session
 * behind, to spring back when the account is enabled.
 */
export async function createSession(db: Db, userId: string, expires: Date, origin: SessionOrigin): Promise<string | null> {
  const token = newSecret();
  const opened = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, disabled: false }, data: { disabled: false } });
    if (count === 0) return false;
    await tx.session.create({ data: { sessionToken: hashSecret(token), userId, expires, ipAddress: origin.ip ?? null, userAgent: origin.userAgent ?? null } });
    return true;
  });
  return opened ? token : null;
}

/** How a session's cookie value is stored, to find "this session" among the rows. */
export function sessionTokenHash(token: string): string {
  return hashSecret(token);
}

/** Ends the session whose cookie value is `token` (signing out, or a browser's session replaced at sign-in). */
export async function invalidateSession(db: SessionDb, token: string): Promise<void> {
  await db.session.deleteMany({ where: { sessionToken: hashSecret(token) } });
}

/** Ends one session of `userId`'s; another person's session is left alone. Returns how many ended (0 or 1). */
export async function invalidateUserSession(db: SessionDb, userId: string, sessionId: string): Promise<number> {
  return (await db.session.deleteMany({ where: { id: sessionId, userId } })).count;
}

/** Ends every session of `userId`. Returns how many ended. */
export async function invalidateUserSessions(db: SessionDb, userId: string): Promise<number> {
  return (await db.session.deleteMany({ where: { userId } })).count;
}

/** Ends every session of `userId` but the one stored as `keepHash` (this browser's); all of them when it is null. */
export async function invalidateUserSessionsExcept(db: SessionDb, userId: string, keepHash: string | null): Promise<number> {
  return (await db.session.deleteMany({ where: { userId, ...(keepHash ? { sessionToken: { not: keepHash } } : {}) } })).count;
}

/** A session as the person's account page lists it; `sessionToken` is the stored hash, compared with sessionTokenHash to find this browser's. */
export interface UserSession {
  id: string;
  sessionToken: string;
  createdAt: Date;
  expires: Date;
  ipAddress: string | null;
  userAgent: string | null;
}

/** The person's sessions that have not expired at `now`, newest first. */
export function listUserSessions(db: SessionDb, userId: string, now: Date): Promise<UserSession[]> {
  return db.session.findMany({
    where: { userId, expires: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, sessionToken: true, createdAt: true, expires: true, ipAddress: true, userAgent: true },
  });
}
