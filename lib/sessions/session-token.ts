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

/**
 * next-auth's session cookie for an app served at `appUrl`. Over https the
 * `__Host-` prefix makes the browser refuse the cookie unless it is Secure,
 * for this exact host and path "/", so no sibling subdomain can set or
 * shadow it.
 */
export function sessionCookieFor(appUrl: string) {
  const secure = new URL(appUrl).protocol === "https:";
  return {
    name: secure ? "__Host-authjs.session-token" : "authjs.session-token",
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}
