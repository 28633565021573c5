import "server-only";

import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";

import { type AdminCheck, type AdminIdentity, checkAdmin } from "@/lib/admin/access";
import type { ActionState, AdminDeps } from "@/lib/admin/operations";
import { performAdminAction } from "@/lib/admin/perform";
import { env } from "@/lib/env";
import { NOT_FOUND_TITLE } from "@/lib/site";
import { systemClock } from "@/lib/tickets";
import { nextRequest } from "@/lib/forms/form-action.server";

import { auth } from "@/lib/sessions/auth.server";
import { runtime } from "@/lib/runtime";

/** The layout and the page both ask; one request looks the session and the role up once. */
const currentCheck = cache(async (): Promise<AdminCheck> => {
  const session = await auth();
  return checkAdmin(runtime().db, env().ADMIN_EMAILS, session?.user?.id ? { id: session.user.id } : null);
});

/**
 * For the console's layout, which cannot know the page's path: a
 * non-administrator gets the ordinary 404 here already, an anonymous visitor
 * null — the page then sends them to sign in with its own path to return to.
 */
export async function adminForLayout(): Promise<AdminIdentity | null> {
  const check = await currentCheck();
  if (check.kind === "forbidden") notFound();
  return check.kind === "admin" ? check.admin : null;
}

/**
 * An admin page's metadata. Metadata is resolved apart from the page, so a
 * page's own title ("Overview") would reach a non-administrator's 404 and
 * give the console away: they get the 404 page's title instead.
 */
export function adminPageMetadata(title: string): () => Promise<Metadata> {
  return async () => ({ title: (await currentCheck()).kind === "forbidden" ? NOT_FOUND_TITLE : title });
}

/** Whether the signed-in person is an administrator (to offer the console's link; pages still call requireAdmin). */
export async function isAdmin(): Promise<boolean> {
  return (await currentCheck()).kind === "admin";
}

/**
 * Every admin page starts here. Anonymous → sign-in; signed in but not an
 * administrator → the ordinary 404, so the console's existence is not
 * revealed. `path` is where sign-in should return to (e.g. "admin/tickets").
 */
export async function requireAdmin(path: string): Promise<AdminIdentity> {
  const check = await currentCheck();
  if (check.kind === "anonymous") redirect(`/login?next=${encodeURIComponent(path)}`);
  if (check.kind === "forbidden") notFound();
  return check.admin;
}

export function adminDeps(): AdminDeps {
  return {
    db: runtime().db,
    tickets: runtime().tickets,
    sealMail: runtime().mailer.seal,
    mailQueued: runtime().mailer.queued,
    adminEmails: env().ADMIN_EMAILS,
    retentionDays: env().TICKET_RETENTION_DAYS,
    authSecret: env().AUTH_SECRET,
    jobLock: { url: env().DATABASE_URL },
    clock: systemClock,
  };
}

/** Runs the operation a console form names: same-origin, role, schema, then the change and its audit row. */
export async function performAdmin(form: FormData): Promise<ActionState> {
  return performAdminAction(nextRequest, adminDeps(), form);
}
