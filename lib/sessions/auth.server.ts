import "server-only";

import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import type { Adapter } from "next-auth/adapters";

import { sessionCookieFor } from "@/lib/sessions/session-token";
import { invalidateSession, sessionTokenHash } from "@/lib/sessions/sessions";
import { env } from "@/lib/env";
import { runtime } from "@/lib/runtime";


/**
 * next-auth with database sessions: a session is a row, revocable, read
 * through `auth()`. We do not use next-auth's sign-in flows — tickets are our
 * sign-in — so there are no providers; lib/sessions/session.server.ts opens sessions
 * by writing the row and setting next-auth's cookie.
 */
export function sessionCookie() {
  return sessionCookieFor(env().APP_URL);
}

/** The Prisma adapter, with session tokens hashed at rest and disabled users refused. */
function adapter(): Adapter {
  // The generated client is the adapter's PrismaClient in all but its import path.
  const base = PrismaAdapter(runtime().db as unknown as Parameters<typeof PrismaAdapter>[0]);
  return {
    ...base,
    async getSessionAndUser(token) {
      const found = await base.getSessionAndUser!(sessionTokenHash(token));
      if (!found || (found.user as { disabled?: boolean }).disabled) return null;
      return found;
    },
    updateSession: (session) => base.updateSession!({ ...session, sessionToken: sessionTokenHash(session.sessionToken) }),
    async deleteSession(token) {
      await invalidateSession(runtime().db, token);
    },
  };
}

export const { handlers, auth } = NextAuth(() => ({
  adapter: adapter(),
  providers: [],
  secret: env().AUTH_SECRET,
  session: { strategy: "database", maxAge: env().SESSION_MAX_AGE_DAYS * 86_400, updateAge: 86_400 },
  cookies: { sessionToken: sessionCookie() },
  useSecureCookies: env().APP_URL.startsWith("https://"),
  // next-auth builds its own URLs from the request; ours come from APP_URL only.
  trustHost: true,
  callbacks: {
    // Only what pages need; never the password hash or the session token.
    session({ session, user }) {
      const { id, email, name, role } = user as typeof user & { role: string };
      return { expires: session.expires, user: { id, email, name, role } };
    },
  },
}));
