// Personal API tokens (Bugzilla's issue_api_token): created on /account,
// shown once, stored as SHA-256 with a short prefix to tell them apart, listed
// with when they were last used, revoked by their owner.
import type { Db } from "@/lib/db/client";
import { hashSecret, newSecret } from "@/lib/secrets";

/** Every token starts with this, so leaked ones can be found by secret scanners. */
export const API_TOKEN_PREFIX = "tgp_";
/** Live (unrevoked) tokens one person may hold. */
export const MAX_LIVE_TOKENS = 20;

export type CreateApiTokenOutcome = { status: "created"; token: string; id: string; prefix: string } | { status: "too-many" };

export async function createApiToken(db: Db, userId: string, name: string): Promise<CreateApiTokenOutcome> {
  const live = await db.personalApiToken.count({ where: { userId, revokedAt: null } });
  if (live >= MAX_LIVE_TOKENS) return { status: "too-many" };
  const token = newSecret(API_TOKEN_PREFIX);
  const prefix = token.slice(0, API_TOKEN_PREFIX.length + 6);
  const row = await db.personalApiToken.create({ data: { userId, name, tokenHash: hashSecret(token), prefix }, select: { id: true } });
  // Parallel requests can all pass the count above. Each counts again after
  // its own insert and takes its token back when over the limit, so the limit
  // holds however they interleave (at worst one more request is refused).
  if ((await db.personalApiToken.count({ where: { userId, revokedAt: null } })) > MAX_LIVE_TOKENS) {
    await db.personalApiToken.delete({ where: { id: row.id } });
    return { status: "too-many" };
  }
  return { status: "created", token, id: row.id, prefix };
}

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
}

export function listApiTokens(db: Db, userId: string): Promise<ApiTokenView[]> {
  // Revoked tokens leave the list: they can do nothing, and there is nothing to do with them.
  return db.personalApiToken.findMany({
    where: { userId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }],
    take: 50,
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, lastUsedIp: true, revokedAt: true },
  });
}

/** Revokes one of the user's own tokens (never someone else's). Returns whether one was live. */
export async function revokeApiToken(db: Db, userId: string, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.personalApiToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/**
 * Revokes every live token of the user, with a password reset or change
 * (rule "Credentials end together": whoever held a session must not keep
 * API access). `db` may be a transaction's client. Returns how many.
 */
export async function revokeAllApiTokens(db: Pick<Db, "personalApiToken">, userId: string, now: Date): Promise<number> {
  return (await db.personalApiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } })).count;
}

/** What a token tells about its owner: the public fields, never the role or the password. */
export interface ApiTokenOwner {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The user a token stands for, recording its use; null for an unknown,
 * revoked or malformed token or a disabled account — one answer for all.
 */
export async function apiTokenOwner(db: Db, token: unknown, ip: string | null, now = new Date()): Promise<ApiTokenOwner | null> {
  if (typeof token !== "string" || !token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db.personalApiToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: { id: true, revokedAt: true, user: { select: { id: true, email: true, name: true, disabled: true } } },
  });
  if (!row || row.revokedAt || row.user.disabled) return null;
  await db.personalApiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, lastUsedIp: ip } });
  return { id: row.user.id, email: row.user.email, name: row.user.name };
}

/** The id of the user a token stands for, recording its use (apiTokenOwner, for callers that need only the id). */
export async function authenticateApiToken(db: Db, token: unknown, ip: string | null, now = new Date()): Promise<{ userId: string } | null> {
  const owner = await apiTokenOwner(db, token, ip, now);
  return owner ? { userId: owner.id } : null;
}
