import { createHash, randomBytes } from "node:crypto";

/**
 * Session cookies are bearer credentials like tickets, so the sessions table
 * keeps only their SHA-256 (see docs/decisions/0004-tickets-are-stored-hashed.md).
 */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateSessionToken(): string {
  return randomBytes(32).toString("base64url");
}
