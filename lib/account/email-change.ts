// Bugzilla::Token::IssueEmailChangeToken, HasEmailChangeToken and
// DeleteEmailChangeTokens. Two tickets: email_change_new goes to the new
// address (confirming makes the change), email_change_old to the old one
// (cancelling withdraws the request, or undoes the change if it was already
// confirmed). Both carry {oldEmail, newEmail} as their payload.
import { randomInt } from "node:crypto";

import { emailChangeNewEmail } from "@/emails/email-change-new";
import { emailChangeOldEmail } from "@/emails/email-change-old";
import { emailChangeTakenEmail } from "@/emails/email-change-taken";
import { isUniqueViolation } from "@/lib/db/errors";
import { checkRateLimits, rateLimitKey } from "@/lib/db/rate-limit";
import { ticketLink } from "@/lib/tickets/link";
import type { Actor, RedeemResult, TicketRef } from "@/lib/tickets";
import { TICKET_KINDS, issueRules, ttlSeconds } from "@/lib/tickets/kinds";
import { maskEmail } from "@/lib/forms/email";
import { invalidateUserSessions } from "@/lib/sessions/sessions";

import { bindTicket } from "@/lib/sign-in/binding";

import { revokeAllApiTokens } from "./api-tokens";
import { type AccountDeps, unexpected } from "./deps";

interface ChangePayload {
  oldEmail: string;
  newEmail: string;
}


export type EmailChangeRequestOutcome =
  | { status: "sent" }
  | { status: "same" }
  | { status: "too-soon"; retryAfterSeconds: number }
  /** A confirmed change can still be undone from the previous address; no new change until that link expires or is used. */
  | { status: "undo-pending"; until: Date | null };

/** The {oldEmail, newEmail} both tickets of a change carry, or null for anything else. */
function changeOf(payload: unknown): ChangePayload | null {
  const p = payload as Partial<ChangePayload> | null;
  return p && typeof p.oldEmail === "string" && typeof p.newEmail === "string" ? { oldEmail: p.oldEmail, newEmail: p.newEmail } : null;
}

/**
 * The undo links of changes that were confirmed already: open email_change_old
 * tickets whose old address is no longer the account's. They belong to the
 * previous address's owner, and nothing done from the account may take them
 * away — a session thief who changed the address would otherwise switch off
 * the owner's way back.
 */
async function openUndoLinks(deps: Pick<AccountDeps, "tickets">, userId: string, currentEmail: string) {
  const { items } = await deps.tickets.list({ userId, type: "email_change_old", state: "open" }, { limit: 200 });
  return items.filter((t) => changeOf(t.payload)?.oldEmail !== currentEmail);
}

/**
 * Starts a change of the signed-in user's address. An address that already
 * has an account is refused without telling the requester: they get the same
 * answer, and the new address gets a notice instead of a confirmation link,
 * so the change can never be confirmed. An earlier pending change is withdrawn.
 */
/** Letters and digits no one confuses with another (no 0/O, 1/I/L, U/V). */
const UNDO_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";

/** The undo code: 8 characters, about 39 bits; it stops working after a few wrong tries. */
export function newUndoCode(): string {
  return Array.from({ length: 8 }, () => UNDO_ALPHABET[randomInt(UNDO_ALPHABET.length)]).join("");
}

/** "K7PDM3QX" as people read it: "K7PD-M3QX". */
export function formatUndoCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export async function requestEmailChange(deps: AccountDeps, userId: string, newEmail: string, actor: Actor, browser: string | null = null): Promise<EmailChangeRequestOutcome> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) unexpected("email change", "no such user");
  if (user.email === newEmail) return { status: "same" };
  const undo = await openUndoLinks(deps, userId, user.email);
  if (undo.length > 0) return { status: "undo-pending", until: undo.map((t) => t.expiresAt).reduce<Date | null>((a, b) => (a && b ? (a > b ? a : b) : (a ?? b)), null) };
  const limit = await checkRateLimits(deps.db, [{ key: rateLimitKey("email-change:user", userId), limit: 1, windowSeconds: deps.config.ACCOUNT_MAIL_MIN_INTERVAL_SECONDS }], deps.tickets.clock.now());
  if (!limit.allowed) return { status: "too-soon", retryAfterSeconds: limit.retryAfterSeconds };

  await deleteEmailChangeTokens(deps, userId, "replaced by a newer e-mail change request", actor);
  const taken = (await deps.db.user.count({ where: { email: newEmail } })) > 0;
  const payload: ChangePayload = { oldEmail: user.email, newEmail };
  const common = { userId, payload, requestedFrom: actor } as const;

  const toNew = await deps.tickets.issue({
    ...common,
    ...issueRules("email_change_new", deps.config),
    email: newEmail,
    mail: taken
      ? undefined
      : (ticket) =>
          deps.sealMail({
            to: newEmail,
            template: TICKET_KINDS.email_change_new.template,
            ...emailChangeNewEmail({ url: ticketLink(deps.config.APP_URL, ticket), expiresInDays: ttlSeconds("email_change_new", deps.config) / 86_400, requestedFromIp: actor.ip ?? null }),
          }),
  });
  if (!toNew.ok) unexpected("email change ticket refused", toNew.error.code);
  if (taken) await deps.sendMail({ to: newEmail, template: "email-change-taken", ...emailChangeTakenEmail({ requestedFromIp: actor.ip ?? null }) });

  // The undo link stops whoever holds the session, who may be the one who asked: it cannot be
  // bound to the asking browser. The code printed in its mail, typed, gates it instead (decision 15).
  const undoCode = newUndoCode();
  const toOld = await deps.tickets.issue({
    ...common,
    ...issueRules("email_change_old", deps.config),
    email: user.email,
    mail: (ticket) =>
      deps.sealMail({
        to: user.email,
        template: TICKET_KINDS.email_change_old.template,
        ...emailChangeOldEmail({ url: ticketLink(deps.config.APP_URL, ticket), maskedNewEmail: maskEmail(newEmail), code: formatUndoCode(undoCode), expiresInDays: ttlSeconds("email_change_old", deps.config) / 86_400, requestedFromIp: actor.ip ?? null, appUrl: deps.config.APP_URL }),
      }),
  });
  if (!toOld.ok) unexpected("email change ticket refused", toOld.error.code);
  deps.mailQueued();
  await bindTicket(deps, { ticketId: toNew.value.record.id, kind: "email_change_new", browser, expiresAt: toNew.value.record.expiresAt ?? deps.tickets.clock.now() });
  await bindTicket(deps, { ticketId: toOld.value.record.id, kind: "email_change_old", browser: null, code: undoCode, expiresAt: toOld.value.record.expiresAt ?? deps.tickets.clock.now() });
  return { status: "sent" };
}

/** HasEmailChangeToken: the pending change of the user, if any. */
export async function pendingEmailChange(deps: Pick<AccountDeps, "tickets">, userId: string): Promise<{ ticketId: string; newEmail: string; expiresAt: Date | null } | null> {
  const { items } = await deps.tickets.list({ userId, type: "email_change_new", state: "open" }, { limit: 1 });
  const found = items[0];
  return found?.email ? { ticketId: found.id, newEmail: found.email, expiresAt: found.expiresAt } : null;
}

/**
 * DeleteEmailChangeTokens: withdraws the user's pending (unconfirmed) change —
 * its confirmation link and its cancellation link. The undo link of a change
 * that was already confirmed stays: it is the previous address's way back.
 * Returns how many tickets were revoked.
 */
export async function deleteEmailChangeTokens(deps: Pick<AccountDeps, "tickets" | "db">, userId: string, reason: string, actor: Actor): Promise<number> {
  const user = await deps.db.user.findFirst({ where: { id: userId }, select: { email: true } });
  const revoked = await deps.tickets.revokeOpen({ userId, type: "email_change_new" }, reason, actor);
  // A cancellation link goes to the address the change started from (its payload's oldEmail):
  // one sent to the current address belongs to the pending change, any other is an undo link.
  return revoked + (user ? await deps.tickets.revokeOpen({ userId, type: "email_change_old", email: user.email }, reason, actor) : 0);
}

/** What undoing a confirmed change took away, for the page that says so. */
export interface UndoneChange {
  sessions: number;
  passwordRemoved: boolean;
  tokens: number;
}

export type EmailChangeTicketOutcome =
  | { status: "changed"; newEmail: string }
  | { status: "cancelled"; reverted: false }
  /** Put back, and what was taken from whoever held the account: sessions ended, the password, tokens revoked. */
  | { status: "cancelled"; reverted: true; undone: UndoneChange }
  | { status: "taken" }
  | { status: "stale" }
  | { status: "refused"; result: RedeemResult }
  | { status: "misused" };


/** The new address confirms: the change takes effect now, if the account still has the old address and the new one is free. */
export async function confirmEmailChange(deps: AccountDeps, ticket: TicketRef, actor: Actor): Promise<EmailChangeTicketOutcome> {
  const result = await deps.tickets.redeemFor(["email_change_new"], ticket, { actor, domain: deps.config.TICKET_DOMAIN });
  if (result.result === "misused") return { status: "misused" };
  const change = changeOf(result.payload);
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
 * if the change was already confirmed, the old address is put back — and,
 * since whoever changed it may have been someone else, in the same
 * transaction every session is signed out, the password is removed (it may
 * have been set through the new address) and personal API tokens are
 * revoked; then every open reset link is cancelled. The owner signs in again
 * by a link to their own address and sets a new password.
 */
export async function cancelEmailChange(deps: AccountDeps, ticket: TicketRef, actor: Actor): Promise<EmailChangeTicketOutcome> {
  const result = await deps.tickets.redeemFor(["email_change_old"], ticket, { actor, domain: deps.config.TICKET_DOMAIN });
  if (result.result === "misused") return { status: "misused" };
  const change = changeOf(result.payload);
  if (result.result !== "success" || !result.ticket?.userId || !change) return { status: "refused", result };
  const userId = result.ticket.userId;
  await deps.tickets.revokeOpen({ userId, type: "email_change_new" }, "cancelled from the old address", actor);
  try {
    const now = deps.tickets.clock.now();
    const undone = await deps.db.$transaction(async (tx): Promise<UndoneChange | null> => {
      const before = await tx.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
      const { count } = await tx.user.updateMany({ where: { id: userId, email: change.newEmail }, data: { email: change.oldEmail, passwordHash: null } });
      if (count !== 1) return null;
      const sessions = await invalidateUserSessions(tx, userId);
      const tokens = await revokeAllApiTokens(tx, userId, now);
      return { sessions, passwordRemoved: before?.passwordHash != null, tokens };
    });
    if (!undone) return { status: "cancelled", reverted: false };
    await deps.tickets.revokeOpen({ userId, type: "password_reset" }, "the account's e-mail change was undone", actor);
    return { status: "cancelled", reverted: true, undone };
  } catch (error) {
    // The old address got an account of its own meanwhile: nothing to put back.
    if (isUniqueViolation(error)) return { status: "cancelled", reverted: false };
    throw error;
  }
}
