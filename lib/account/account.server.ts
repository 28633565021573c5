import "server-only";

// The account flows (lib/account) on the app's database, outbox and clock,
// plus the request-bound parts: answer floors, sessions, cookies.
import type { AccountDeps } from "@/lib/account/deps";
import { cancelEmailChange, confirmEmailChange, requestEmailChange } from "@/lib/account/email-change";
import { checkPasswordSignIn } from "@/lib/account/passwords";
import { requestPasswordReset, resetPassword } from "@/lib/account/password-reset";
import { confirmSignup, requestSignup } from "@/lib/account/signup";
import { actionPaths } from "@/lib/action-paths";
import { withAnswerFloor } from "@/lib/http/answer-floor";
import { runtime } from "@/lib/runtime";
import { openSession } from "@/lib/sessions/session.server";
import { approvalNumber, bindTicket } from "@/lib/sign-in/binding";
import { ensureBrowserSecret } from "@/lib/sign-in/browser.server";
import type { Actor, TicketRef } from "@/lib/tickets";
import { ttlSeconds } from "@/lib/tickets/kinds";

export function accountDeps(): AccountDeps {
  const { db, tickets, mailer, config } = runtime();
  return { db, tickets, sealMail: mailer.seal, mailQueued: mailer.queued, sendMail: mailer.send, config };
}

export type PasswordSignInResult = { status: "signed-in"; redirectTo: string } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number };

/** E-mail and password from /login: a fresh session on success. */
export async function signInWithPassword(email: string, password: string, next: string | null, actor: Actor): Promise<PasswordSignInResult> {
  const outcome = await withAnswerFloor(() => checkPasswordSignIn(accountDeps(), email, password, actor));
  if (outcome.status !== "ok") return outcome;
  // Disabled since the password was checked: the same answer as a disabled account's.
  if (!(await openSession(outcome.userId, actor))) return { status: "wrong" };
  return { status: "signed-in", redirectTo: actionPaths.redirectPath(next) ?? "/account" };
}

/**
 * Binds a mailed ticket to this browser (decision 15). A request that sent
 * nothing (an unknown address) is bound all the same, so the page that
 * follows looks the same either way.
 */
async function bindToThisBrowser(kind: "password_reset" | "new_account", ticketId: string | null): Promise<{ number: string }> {
  const deps = accountDeps();
  const expiresAt = new Date(deps.tickets.clock.now().getTime() + ttlSeconds(kind, deps.config) * 1000);
  const binding = await bindTicket(deps, { ticketId, kind, browser: await ensureBrowserSecret(), expiresAt });
  // The number this tab shows, should the mail be opened on another device.
  return { number: approvalNumber(deps.config.AUTH_SECRET, binding) };
}

export function requestPasswordResetMail(email: string, actor: Actor) {
  return withAnswerFloor(async () => {
    const outcome = await requestPasswordReset(accountDeps(), email, actor);
    return outcome.status === "sent" ? { ...outcome, ...(await bindToThisBrowser("password_reset", outcome.ticketId)) } : outcome;
  });
}

export function requestSignupMail(email: string, actor: Actor) {
  return withAnswerFloor(async () => {
    const outcome = await requestSignup(accountDeps(), email, actor);
    return outcome.status === "sent" ? { ...outcome, ...(await bindToThisBrowser("new_account", outcome.ticketId)) } : outcome;
  });
}

/**
 * A reset ticket's form. On success every old session is gone and this
 * browser gets a brand-new one: the person just proved the mailbox and chose
 * the password, so sending them to /login to type it again adds nothing.
 */
export async function resetPasswordWithTicket(ticket: TicketRef, input: { password?: unknown; confirm?: unknown }, actor: Actor) {
  const outcome = await resetPassword(accountDeps(), ticket, input, actor);
  // Disabled at this moment (an administrator): the password is set, and no session opens.
  if (outcome.status === "reset") await openSession(outcome.userId, actor);
  return outcome;
}

/** A new-account ticket's form: the account is created now, and signed in. */
export async function confirmSignupWithTicket(ticket: TicketRef, input: { password?: unknown; confirm?: unknown }, actor: Actor) {
  const outcome = await confirmSignup(accountDeps(), ticket, input, actor);
  if (outcome.status === "created") await openSession(outcome.userId, actor);
  return outcome;
}

export function confirmEmailChangeWithTicket(ticket: TicketRef, actor: Actor) {
  return confirmEmailChange(accountDeps(), ticket, actor);
}

export function cancelEmailChangeWithTicket(ticket: TicketRef, actor: Actor) {
  return cancelEmailChange(accountDeps(), ticket, actor);
}

/** The confirmation link is bound to this browser; the undo link, to no browser (a typed code gates it). */
export async function requestEmailChangeFor(userId: string, newEmail: string, actor: Actor) {
  return requestEmailChange(accountDeps(), userId, newEmail, actor, await ensureBrowserSecret());
}
