// Passwords are optional: a person may set one on /account and then sign in
// with it as well as with a mailed link. Wrong passwords are counted per
// address and per client in database buckets (shared by every instance); when
// either runs out, password sign-in pauses for that address or client — the
// mailed link keeps working, so nobody can lock the owner out.
import { passwordChangedEmail } from "@/emails/password-changed";
import { rateLimitSubject } from "@/lib/http/client-ip";
import { type KeyedRateLimitRule, checkRateLimits, rateLimitKey } from "@/lib/db/rate-limit";
import type { Actor } from "@/lib/tickets";
import { changePasswordSchema } from "@/lib/forms/account";
import { invalidateUserSessionsExcept } from "@/lib/sessions/sessions";

import { revokeAllApiTokens } from "./api-tokens";
import type { AccountConfig, AccountDeps } from "./deps";
import { hashPassword, verifyPassword } from "./password";
import { queueNotice } from "./password-reset";

export type PasswordSignInOutcome = { status: "ok"; userId: string } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number };

/** The failure budgets for one attempt: per address (whether or not it has an account) and per client (rateLimitSubject: an IPv6 client by its /64). */
export function passwordFailureRules(email: string, ip: string | null, config: AccountConfig): KeyedRateLimitRule[] {
  const windowSeconds = config.PASSWORD_FAILURE_WINDOW_MINUTES * 60;
  const rules: KeyedRateLimitRule[] = [{ key: rateLimitKey("password:addr", email.trim().toLowerCase()), limit: config.PASSWORD_MAX_FAILURES, windowSeconds }];
  if (ip !== null) rules.push({ key: rateLimitKey("password:ip", rateLimitSubject(ip)), limit: config.PASSWORD_MAX_FAILURES_PER_IP, windowSeconds });
  return rules;
}

/**
 * Checks an address and password. Every attempt is counted *before* the
 * password is checked, in one conditional write per bucket, so parallel
 * guesses cannot get past the budget; a right password gives its count back,
 * so only failures stay counted. Unknown address, no password set, disabled
 * account and wrong password all answer "wrong" after the same argon2 work.
 */
export async function checkPasswordSignIn(deps: AccountDeps, email: string, password: string, actor: Actor): Promise<PasswordSignInOutcome> {
  const now = deps.tickets.clock.now();
  const rules = passwordFailureRules(email, actor.ip ?? null, deps.config);
  const limit = await checkRateLimits(deps.db, rules, now);
  if (!limit.allowed) return { status: "throttled", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, disabled: true } });
  const right = await verifyPassword(user && !user.disabled ? user.passwordHash : null, password);
  if (!right || !user || user.disabled) return { status: "wrong" };
  await refund(deps, rules, now);
  return { status: "ok", userId: user.id };
}

async function refund(deps: AccountDeps, rules: KeyedRateLimitRule[], now: Date): Promise<void> {
  await deps.db.rateLimitBucket.updateMany({ where: { key: { in: rules.map((r) => r.key) }, resetAt: { gt: now }, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

export type SetPasswordOutcome =
  | { status: "saved"; how: "set" | "changed" }
  | { status: "invalid"; field: string; message: string }
  | { status: "wrong-current" }
  | { status: "throttled"; retryAfterSeconds: number };

/**
 * Sets or changes the signed-in person's password. Changing one needs the
 * current password (a borrowed session must not be enough to take the
 * account); a first password does not — the session was opened by a mailed
 * ticket. In one transaction (after the slow hash) every other session is
 * signed out, every personal API token revoked and the owner's notice queued.
 */
export async function setPassword(deps: AccountDeps, userId: string, input: { current?: unknown; password?: unknown; confirm?: unknown }, keepSessionHash: string | null, actor: Actor): Promise<SetPasswordOutcome> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: "invalid", field: String(issue?.path[0] ?? "password"), message: issue?.message ?? "Check the password" };
  }
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) return { status: "wrong-current" };
  if (user.passwordHash !== null) {
    const now = deps.tickets.clock.now();
    const rules = passwordFailureRules(user.email, actor.ip ?? null, deps.config);
    const limit = await checkRateLimits(deps.db, rules, now);
    if (!limit.allowed) return { status: "throttled", retryAfterSeconds: limit.retryAfterSeconds };
    if (!(await verifyPassword(user.passwordHash, parsed.data.current ?? ""))) return { status: "wrong-current" };
    await refund(deps, rules, now);
  }
  const passwordHash = await hashPassword(parsed.data.password);
  const how = user.passwordHash === null ? "set" : "changed";
  const now = deps.tickets.clock.now();
  await deps.db.$transaction(async (tx) => {
    // A write first: on SQLite the transaction then holds the write lock before it reads.
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await invalidateUserSessionsExcept(tx, user.id, keepSessionHash);
    const revokedApiTokens = await revokeAllApiTokens(tx, user.id, now);
    await queueNotice(tx, deps, { to: user.email, template: "password-changed", ...passwordChangedEmail({ how, at: now, ip: actor.ip ?? null, revokedApiTokens, appUrl: deps.config.APP_URL }) }, now);
  });
  deps.mailQueued();
  return { status: "saved", how };
}

/** Whether the user has a password (for the account page). */
export async function hasPassword(deps: Pick<AccountDeps, "db">, userId: string): Promise<boolean> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(user?.passwordHash);
}
