// The Ticketgate session a request carries, read from next-auth's session
// cookie outside Next.js (the provider and its interactions run on the
// node:http layer). Only a live session of an enabled account counts.
import type { Db } from "@/lib/db/client";
import { hashSecret } from "@/lib/secrets";
import { sessionCookieFor } from "@/lib/sessions/session-token";

export interface LiveSession {
  id: string;
  userId: string;
  /** When the person signed in (the session is new at every sign-in): the ID token's auth_time. */
  createdAt: Date;
}

/** One cookie's value from a Cookie header; null when absent. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export async function liveSessionFromCookies(db: Pick<Db, "session">, appUrl: string, cookieHeader: string | undefined, now = new Date()): Promise<LiveSession | null> {
  const token = readCookie(cookieHeader, sessionCookieFor(appUrl).name);
  if (!token) return null;
  const row = await db.session.findUnique({ where: { sessionToken: hashSecret(token) }, select: { id: true, userId: true, expires: true, createdAt: true, user: { select: { disabled: true } } } });
  if (!row || row.expires <= now || row.user.disabled) return null;
  return { id: row.id, userId: row.userId, createdAt: row.createdAt };
}

/** Whether the grant `grantId` was given in a session of `userId` that is still live (lib/oidc/provider.ts). */
export async function grantSessionLive(db: Pick<Db, "oidcPayload" | "session">, grantId: string, userId: string, now = new Date()): Promise<boolean> {
  const grant = await db.oidcPayload.findUnique({ where: { kind_id: { kind: "Grant", id: grantId } }, select: { sessionId: true } });
  if (!grant?.sessionId) return false;
  const session = await db.session.findUnique({ where: { id: grant.sessionId }, select: { userId: true, expires: true } });
  return !!session && session.userId === userId && session.expires > now;
}
