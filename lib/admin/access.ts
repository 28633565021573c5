// Who is an administrator. Two sources: the user's `role` column ("admin",
// granted with `npm run admin:grant` or in the console) and the ADMIN_EMAILS
// configuration, which the console cannot take away. The role is read from
// the database on every check, so removing it takes effect at the next
// request, not when the session ends.
import type { Db } from "@/lib/db/client";

export type AdminSource = "configuration" | "role";

export interface AdminIdentity {
  id: string;
  email: string;
  source: AdminSource;
}

export type AdminCheck = { kind: "anonymous" } | { kind: "forbidden" } | { kind: "admin"; admin: AdminIdentity };

/** Why a user is an administrator, or null when they are not. Configuration wins: it cannot be removed here. */
export function adminSource(user: { email: string; role: string }, adminEmails: readonly string[]): AdminSource | null {
  if (adminEmails.includes(user.email)) return "configuration";
  if (user.role === "admin") return "role";
  return null;
}

/**
 * Decides what the signed-in user (if any) may see of the console. A
 * disabled or deleted user is refused even if their session somehow
 * survived.
 */
export async function checkAdmin(db: Db, adminEmails: readonly string[], sessionUser: { id: string } | null | undefined): Promise<AdminCheck> {
  if (!sessionUser?.id) return { kind: "anonymous" };
  const user = await db.user.findUnique({ where: { id: sessionUser.id }, select: { id: true, email: true, role: true, disabled: true } });
  if (!user) return { kind: "anonymous" };
  if (user.disabled) return { kind: "forbidden" };
  const source = adminSource(user, adminEmails);
  return source ? { kind: "admin", admin: { id: user.id, email: user.email, source } } : { kind: "forbidden" };
}
