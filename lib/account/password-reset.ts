// Bugzilla::Token::IssuePasswordToken and DeletePasswordTokens, with today's
// rules: the same answer whether or not the address has an account, one mail
// per address per few minutes ("too soon", counted for unknown addresses
// too), and a reset that signs out every session, revokes the personal API
// tokens and cancels every other reset link before telling the owner by mail.
import { passwordChangedEmail } from "@/emails/password-changed";
import { passwordResetEmail } from "@/emails/password-reset";
import { ticketCancelledMail } from "@/emails/ticket-cancelled";
import type { Db } from "@/lib/db/client";
import { inTicketTransaction } from "@/lib/db/prisma-ticket-store";
import { type KeyedRateLimitRule, checkRateLimits, rateLimitKey } from "@/lib/db/rate-limit";
import { rateLimitSubject } from "@/lib/http/client-ip";
import { ticketLink } from "@/lib/tickets/link";
import type { QueuedMail } from "@/lib/mail/outbox";
import type { Actor, CancelNotice, RedeemResult, TicketRef } from "@/lib/tickets";
import { TICKET_KINDS, issueRules, ttlSeconds } from "@/lib/tickets/kinds";
import { setPasswordSchema } from "@/lib/forms/account";
import { invalidateUserSessions } from "@/lib/sessions/sessions";

import { revokeAllApiTokens } from "./api-tokens";
import { type AccountConfig, type AccountDeps, unexpected } from "./deps";
import { hashPassword } from "./password";

export type MailRequestOutcome = { status: "sent"; /** The mailed ticket; null when nothing was sent (the answer is the same). */ ticketId: string | null } | { status: "too-soon"; retryAfterSeconds: number };

/** One reset mail per address per interval, and the sign-in link's per-client budget under its own key. */
export function resetRateLimitRules(scope: "reset" | "signup", email: string, ip: string | null, config: AccountConfig): KeyedRateLimitRule[] {
  const rules: KeyedRateLimitRule[] = [{ key: rateLimitKey(`${scope}:addr`, email.trim().toLowerCase()), limit: 1, windowSeconds: config.ACCOUNT_MAIL_MIN_INTERVAL_SECONDS }];
  if (ip !== null) rules.push({ key: rateLimitKey(`${scope}:ip`, rateLimitSubject(ip)), limit: config.LOGIN_MAX_PER_IP_PER_HOUR, windowSeconds: 3600 });
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
  if (!user || user.disabled) return { status: "sent", ticketId: null };
  const issued = await deps.tickets.issue({
    // One use; only the newest reset link works (lib/tickets/kinds.ts).
    ...issueRules("password_reset", deps.config),
    email,
    userId: user.id,
    requestedFrom: actor,
    mail: (ticket) =>
      deps.sealMail({
        to: email,
        template: TICKET_KINDS.password_reset.template,
        ...passwordResetEmail({ url: ticketLink(deps.config.APP_URL, ticket), expiresInMinutes: ttlSeconds("password_reset", deps.config) / 60, requestedFromIp: actor.ip ?? null }),
      }),
  });
  if (!issued.ok) unexpected("password reset ticket refused", issued.error.code);
  deps.mailQueued();
  return { status: "sent", ticketId: issued.value.record.id };
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
 * Sets a new password with a reset ticket. The input is checked and hashed
 * first — a typo costs nothing, and the slow argon2 hash never runs inside a
 * write transaction. Then one transaction spends the ticket (of parallel
 * submissions exactly one goes on), sets the password, ends every session,
 * revokes the personal API tokens and every other reset link, and queues the
 * notice: all of it or nothing, so a crash half-way leaves the link usable
 * and the password as it was. The caller opens a fresh session for the
 * returned user.
 */
export async function resetPassword(deps: AccountDeps, ticket: TicketRef, input: { password?: unknown; confirm?: unknown }, actor: Actor): Promise<TicketFormOutcome<{ status: "reset"; userId: string }>> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error, "Check the password");
  const passwordHash = await hashPassword(parsed.data.password);

  const outcome = await inTicketTransaction(deps.db, deps.tickets, async (tx, tickets): Promise<{ status: "reset"; userId: string } | { status: "refused"; result: RedeemResult } | { status: "misused" }> => {
    // A ticket of another type is cancelled, and its requester's notice queued, in this transaction.
    const notify = (notice: CancelNotice) => queueNotice(tx, deps, ticketCancelledMail(notice), tickets.clock.now());
    const result = await tickets.redeemFor(["password_reset"], ticket, { actor, domain: deps.config.TICKET_DOMAIN, notify });
    if (result.result === "misused") return { status: "misused" };
    if (result.result !== "success" || !result.ticket?.userId) return { status: "refused", result };
    const userId = result.ticket.userId;
    // The account must still be the one the link was mailed to (not disabled, address unchanged);
    // if not, the link is spent and refused, and nothing else changes.
    const { count } = await tx.user.updateMany({ where: { id: userId, email: result.email ?? "", disabled: false }, data: { passwordHash } });
    if (count !== 1) return { status: "refused", result: { ...result, result: "error", status: "unknown" } };
    const now = tickets.clock.now();
    await invalidateUserSessions(tx, userId);
    const revokedApiTokens = await revokeAllApiTokens(tx, userId, now);
    await deletePasswordTokens({ tickets }, userId, "a new password was set with another reset link", actor);
    const notice = passwordChangedEmail({ how: "reset", at: now, ip: actor.ip ?? null, requestedFromIp: result.remoteAddr, revokedApiTokens, appUrl: deps.config.APP_URL });
    await queueNotice(tx, deps, { to: result.email!, template: "password-changed", ...notice }, now);
    return { status: "reset", userId };
  });
  if (outcome.status !== "refused") deps.mailQueued();
  return outcome;
}

/**
 * Queues a notice (a mail without a ticket) in the caller's transaction, as
 * the outbox's enqueueMail writes it: pending, due at once. Call
 * deps.mailQueued() once the transaction has committed.
 */
export async function queueNotice(tx: Pick<Db, "mailMessage">, deps: Pick<AccountDeps, "sealMail">, mail: QueuedMail, now: Date): Promise<void> {
  await tx.mailMessage.create({ data: { ...deps.sealMail(mail), state: "pending", attempts: 0, nextAttemptAt: now }, select: { id: true } });
}

/** Bugzilla's DeletePasswordTokens: cancels every open reset link of the user. Returns how many. */
export async function deletePasswordTokens(deps: Pick<AccountDeps, "tickets">, userId: string, reason: string, actor: Actor): Promise<number> {
  return deps.tickets.revokeOpen({ userId, type: "password_reset" }, reason, actor);
}
