import "server-only";

import type { Session } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { createSession, invalidateSession, sessionTokenHash } from "@/lib/sessions/sessions";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/tickets";
import { runtime } from "@/lib/runtime";

import { auth, sessionCookie } from "./auth.server";

/**
 * Opens a brand-new session for `userId`: whatever session the browser had —
 * the same person's or someone else's — is deleted, never reused or merged,
 * so a session id planted before sign-in (fixation) is worthless. False when
 * the account is disabled (lib/sessions/sessions.ts): no session, and the
 * browser is signed out.
 */
export async function openSession(userId: string, actor: Actor): Promise<boolean> {
  const jar = await cookies();
  const { name, options } = sessionCookie();
  const previous = jar.get(name)?.value;
  if (previous) await invalidateSession(runtime().db, previous);
  const expires = new Date(Date.now() + env().SESSION_MAX_AGE_DAYS * 86_400_000);
  const token = await createSession(runtime().db, userId, expires, actor);
  if (token === null) {
    jar.delete(name);
    return false;
  }
  jar.set(name, token, { ...options, expires });
  return true;
}

/** Signs out: deletes the session row and the cookie. */
export async function closeSession(): Promise<void> {
  const jar = await cookies();
  const { name } = sessionCookie();
  const token = jar.get(name)?.value;
  if (token) await invalidateSession(runtime().db, token);
  jar.delete(name);
}

/** The hash of this browser's session token, to mark "this session" in lists. */
export async function currentSessionHash(): Promise<string | null> {
  const token = (await cookies()).get(sessionCookie().name)?.value;
  return token ? sessionTokenHash(token) : null;
}

export type SignedInUser = Session["user"];

/** The signed-in user, or a redirect to sign-in that comes back to `action` afterwards. */
export async function requireUser(action: string): Promise<SignedInUser> {
  const session = await auth();
  if (!session?.user) redirect(`/login?next=${encodeURIComponent(action)}`);
  return session.user;
}
