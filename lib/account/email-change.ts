// Bugzilla::Token::IssueEmailChangeToken, HasEmailChangeToken and
// DeleteEmailChangeTokens. Two tickets: email_change_new goes to the new
// address (confirming makes the change), email_change_old to the old one
// (cancelling withdraws the request, or undoes the change if it was already
// confirmed). Both carry {oldEmail, newEmail} as their payload.
import { emailChangeNewEmail } from "@/emails/email-change-new";
import { emailChangeOldEmail } from "@/emails/email-change-old";
import { emailChangeTakenEmail } from "@/emails/email-change-taken";
import { checkRateLimits, rateLimitKey } from "@/lib/db/rate-limit";
import { ticketLink } from "@/lib/links";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { maskEmail } from "@/lib/validation/email";

import { type AccountDeps, unexpected } from "./deps";
import { cancelMisused } from "./misuse";

interface ChangePayload {
  oldEmail: string;
  newEmail: string;
}

function payloadOf(result: RedeemResult): ChangePayload | null {
  const p = result.payload as Partial<ChangePayload> | null;
  return p && typeof p.oldEmail === "string" && typeof p.newEmail === "string" ? { oldEmail: p.oldEmail, newEmail: p.newEmail } : null;
}

export type EmailChangeRequestOutcome = { status: "sent" } | { status: "same" } | { status: "too-soon"; retryAfterSeconds: number };

/**
 * Starts a change of the signed-in user's address. An address that already
 * has an account is refused without telling the requester: they get the same
 * answer, and the new address gets a notice instead of a confirmation link,
 * so the change can never be confirmed. An earlier pending change is withdrawn.
 */
export async function requestEmailChange(deps: AccountDeps, userId: string, newEmail: string, actor: Actor): Promise<EmailChangeRequestOutcome> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) unexpected("email change", "no such user");
  if (user.email === newEmail) return { status: "same" };
  const limit = await checkRateLimits(deps.db, [{ key: rateLimitKey("email-change:user", userId), limit: 1, windowSeconds: deps.config.ACCOUNT_MAIL_MIN_INTERVAL_SECONDS }], deps.tickets.clock.now());
  if (!limit.allowed) return { status: "too-soon", retryAfterSeconds: limit.retryAfterSeconds };

  await deleteEmailChangeTokens(deps, userId, "replaced by a newer e-mail change request", actor);
  const taken = (await deps.db.user.count({ where: { email: newEmail } })) > 0;
  const days = deps.config.EMAIL_CHANGE_TTL_DAYS;
  const payload: ChangePayload = { oldEmail: user.email, newEmail };
  const common = { userId, payload, ttlSeconds: days * 86_400, uses: 1, requestedFrom: actor } as const;

  const toNew = await deps.tickets.issue({
    ...common,
    type: "email_change_new",
    email: newEmail,
    mail: taken ? undefined : (ticket) => deps.sealMail({ to: newEmail, template: "email-change-new", ...emailChangeNewEmail({ url: ticketLink(deps.config.APP_URL, ticket), expiresInDays: days, requestedFromIp: actor.ip ?? null }) }),
  });
  if (!toNew.ok) unexpected("email change ticket refused", toNew.error.code);
  if (taken) await deps.sendMail({ to: newEmail, template: "email-change-taken", ...emailChangeTakenEmail({ requestedFromIp: actor.ip ?? null }) });

  const toOld = await deps.tickets.issue({
    ...common,
    type: "email_change_old",
    email: user.email,
    mail: (ticket) =>
      deps.sealMail({
        to: user.email,
        template: "email-change-old",
        ...emailChangeOldEmail({ url: ticketLink(deps.config.APP_URL, ticket), maskedNewEmail: maskEmail(newEmail), expiresInDays: days, requestedFromIp: actor.ip ?? null }),
      }),
  });
  if (!toOld.ok) unexpected("email change ticket refused", toOld.error.code);
  deps.mailQueued();
  return { status: "sent" };
}

/** HasEmailChangeToken: the pending change of the user, if any. */
export async function pendingEmailChange(deps: Pick<AccountDeps, "tickets">, userId: string): Promise<{ newEmail: string; expiresAt: Date | null } | null> {
  const { items } = await deps.tickets.list({ userId, type: "email_change_new", state: "open" }, { limit: 1 });
  const found = items[0];
  return found?.email ? { newEmail: found.email, expiresAt: found.expiresAt } : null;
}

/** DeleteEmailChangeTokens: cancels every open e-mail change ticket of the user. Returns how many. */
export async function deleteEmailChangeTokens(deps: Pick<AccountDeps, "tickets">, userId: string, reason: string, actor: Actor): Promise<number> {
  let revoked = 0;
  for (const type of ["email_change_new", "email_change_old"] as const) {
    const { items } = await deps.tickets.list({ userId, type, state: "open" }, { limit: 200 });
    for (const t of items) if ((await deps.tickets.revoke(t.id, reason, actor)).ok) revoked++;
  }
  return revoked;
}

export type EmailChangeTicketOutcome =
  | { status: "changed"; newEmail: string }
  | { status: "cancelled"; reverted: boolean }
  | { status: "taken" }
  | { status: "stale" }
  | { status: "refused"; result: RedeemResult }
  | { status: "misused" };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/** The new address confirms: the change takes effect now, if the account still has the old address and the new one is free. */
export async function confirmEmailChange(deps: AccountDeps, ticket: string, actor: Actor): Promise<EmailChangeTicketOutcome> {
  const result = await deps.tickets.redeem(ticket, { actor, types: ["email_change_new"], domain: deps.config.TICKET_DOMAIN });
  if (await cancelMisused(deps, result, ["email_change_new"], actor)) return { status: "misused" };
  const change = payloadOf(result);
  if (result.result !== "success" || !result.ticket?.userId || !change) return { status: "refused", result };
  try {
    const { count } = await deps.db.user.updateMany({ where: { id: result.ticket.userId, email: change.oldEmail }, data: { email: change.newEmail, emailVerified: deps.tickets.clock.now() } });
    return count === 1 ? { status: "changed", newEmail: change.newEmail } : { status: "stale" };
  } catch (error) {
    if (isUniqueViolation(error)) return { status: "taken" };
    throw error;
  }
}

/**
 * The old address cancels: the pending confirmation link stops working and,
 * if the change was already confirmed, the old address is put back and every
 * session is signed out (whoever changed it may have been someone else).
 */
export async function cancelEmailChange(deps: AccountDeps, ticket: string, actor: Actor): Promise<EmailChangeTicketOutcome> {
  const result = await deps.tickets.redeem(ticket, { actor, types: ["email_change_old"], domain: deps.config.TICKET_DOMAIN });
  if (await cancelMisused(deps, result, ["email_change_old"], actor)) return { status: "misused" };
  const change = payloadOf(result);
  if (result.result !== "success" || !result.ticket?.userId || !change) return { status: "refused", result };
  const userId = result.ticket.userId;
  const { items } = await deps.tickets.list({ userId, type: "email_change_new", state: "open" }, { limit: 200 });
  for (const t of items) await deps.tickets.revoke(t.id, "cancelled from the old address", actor);
  try {
    const { count } = await deps.db.user.updateMany({ where: { id: userId, email: change.newEmail }, data: { email: change.oldEmail } });
    if (count === 1) await deps.db.session.deleteMany({ where: { userId } });
    return { status: "cancelled", reverted: count === 1 };
  } catch (error) {
    // The old address got an account of its own meanwhile: nothing to put back.
    if (isUniqueViolation(error)) return { status: "cancelled", reverted: false };
    throw error;
  }
}
