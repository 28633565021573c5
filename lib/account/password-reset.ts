// Bugzilla::Token::IssuePasswordToken and DeletePasswordTokens, with today's
// rules: the same answer whether or not the address has an account, one mail
// per address per few minutes ("too soon", counted for unknown addresses
// too), and a reset that signs out every session and cancels every other
// reset link before telling the owner by mail.
import { passwordChangedEmail } from "@/emails/password-changed";
import { passwordResetEmail } from "@/emails/password-reset";
import { type KeyedRateLimitRule, checkRateLimits, rateLimitKey } from "@/lib/db/rate-limit";
import { ticketLink } from "@/lib/links";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { setPasswordSchema } from "@/lib/validation/account";

import { type AccountConfig, type AccountDeps, unexpected } from "./deps";
import { cancelMisused } from "./misuse";
import { hashPassword } from "./password";

export type MailRequestOutcome = { status: "sent" } | { status: "too-soon"; retryAfterSeconds: number };

/** One reset mail per address per interval, and the sign-in link's per-client budget under its own key. */
export function resetRateLimitRules(scope: "reset" | "signup", email: string, ip: string | null, config: AccountConfig): KeyedRateLimitRule[] {
  const rules: KeyedRateLimitRule[] = [{ key: rateLimitKey(`${scope}:addr`, email.trim().toLowerCase()), limit: 1, windowSeconds: config.ACCOUNT_MAIL_MIN_INTERVAL_SECONDS }];
  if (ip !== null) rules.push({ key: rateLimitKey(`${scope}:ip`, ip), limit: config.LOGIN_MAX_PER_IP_PER_HOUR, windowSeconds: 3600 });
  return rules;
}

/**
 * Mails a password reset link when the address has an account that is not
 * disabled; otherwise sends nothing. The answer does not say which.
 */
export async function requestPasswordReset(deps: AccountDeps, email: string, actor: Actor): Promise<MailRequestOutcome> {
  const limit = await checkRateLimits(deps.db, resetRateLimitRules("reset", email, actor.ip ?? null, deps.config), deps.tickets.clock.now());
  if (!limit.allowed) return { status: "too-soon", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, disabled: true } });
  if (!user || user.disabled) return { status: "sent" };
  const minutes = deps.config.PASSWORD_RESET_TTL_MINUTES;
  const issued = await deps.tickets.issue({
    type: "password_reset",
    email,
    userId: user.id,
    ttlSeconds: minutes * 60,
    uses: 1,
    requestedFrom: actor,
    // Only the newest reset link works.
    supersede: true,
    mail: (ticket) => deps.sealMail({ to: email, template: "password-reset", ...passwordResetEmail({ url: ticketLink(deps.config.APP_URL, ticket), expiresInMinutes: minutes, requestedFromIp: actor.ip ?? null }) }),
  });
  if (!issued.ok) unexpected("password reset ticket refused", issued.error.code);
  deps.mailQueued();
  return { status: "sent" };
}

export type TicketFormOutcome<Success> =
  | Success
  | { status: "invalid"; field: string; message: string }
  | { status: "refused"; result: RedeemResult }
  | { status: "misused" };

export function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }, fallback: string) {
  const issue = error.issues[0];
  return { status: "invalid" as const, field: String(issue?.path[0] ?? "password"), message: issue?.message ?? fallback };
}

/**
 * Sets a new password with a reset ticket. The input is checked (and hashed)
 * before the ticket is spent, so a typo costs nothing; then one conditional
 * write spends the ticket — of parallel submissions exactly one goes on — and
 * the password, every session and every other reset link change together.
 * The caller opens a fresh session for the returned user.
 */
export async function resetPassword(deps: AccountDeps, ticket: string, input: { password?: unknown; confirm?: unknown }, actor: Actor): Promise<TicketFormOutcome<{ status: "reset"; userId: string }>> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error, "Check the password");
  const passwordHash = await hashPassword(parsed.data.password);

  const result = await deps.tickets.redeem(ticket, { actor, types: ["password_reset"], domain: deps.config.TICKET_DOMAIN });
  if (await cancelMisused(deps, result, ["password_reset"], actor)) return { status: "misused" };
  if (result.result !== "success" || !result.ticket?.userId) return { status: "refused", result };

  const userId = result.ticket.userId;
  // The account must still be the one the link was mailed to (not disabled, address unchanged).
  // Both writes carry that condition and commit together: never a new password with the old sessions alive.
  const still = { email: result.email ?? "", disabled: false };
  const [{ count }] = await deps.db.$transaction([
    deps.db.user.updateMany({ where: { id: userId, ...still }, data: { passwordHash } }),
    deps.db.session.deleteMany({ where: { userId, user: { is: still } } }),
  ]);
  if (count !== 1) return { status: "refused", result: { ...result, result: "error", status: "unknown" } };
  await deletePasswordTokens(deps, userId, "a new password was set with another reset link", actor);
  await deps.sendMail({ to: result.email!, template: "password-changed", ...passwordChangedEmail({ how: "reset", at: deps.tickets.clock.now(), ip: actor.ip ?? null, requestedFromIp: result.remoteAddr }) });
  return { status: "reset", userId };
}

/** Bugzilla's DeletePasswordTokens: cancels every open reset link of the user. Returns how many. */
export async function deletePasswordTokens(deps: AccountDeps, userId: string, reason: string, actor: Actor): Promise<number> {
  const open = await deps.tickets.list({ userId, type: "password_reset", state: "open" }, { limit: 200 });
  let revoked = 0;
  for (const t of open.items) if ((await deps.tickets.revoke(t.id, reason, actor)).ok) revoked++;
  return revoked;
}
