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
import type { Actor } from "@/lib/tickets";

import { openSession } from "@/lib/sessions/session.server";
import { runtime } from "@/lib/runtime";

export function accountDeps(): AccountDeps {
  const { db, tickets, mailer, config } = runtime();
  return { db, tickets, sealMail: mailer.seal, mailQueued: mailer.queued, sendMail: mailer.send, config };
}

export type PasswordSignInResult = { status: "signed-in"; redirectTo: string } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number };

/** E-mail and password from /login: a fresh session on success. */
export async function signInWithPassword(email: string, password: string, next: string | null, actor: Actor): Promise<PasswordSignInResult> {
  const outcome = await withAnswerFloor(() => checkPasswordSignIn(accountDeps(), email, password, actor));
  if (outcome.status !== "ok") return outcome;
  await openSession(outcome.userId, actor);
  return { status: "signed-in", redirectTo: actionPaths.redirectPath(next) ?? "/account" };
}

export function requestPasswordResetMail(email: string, actor: Actor) {
  return withAnswerFloor(() => requestPasswordReset(accountDeps(), email, actor));
}

export function requestSignupMail(email: string, actor: Actor) {
  return withAnswerFloor(() => requestSignup(accountDeps(), email, actor));
}

/**
 * A reset ticket's form. On success every old session is gone and this
 * browser gets a brand-new one: the person just proved the mailbox and chose
 * the password, so sending them to /login to type it again adds nothing.
 */
export async function resetPasswordWithTicket(ticket: string, input: { password?: unknown; confirm?: unknown }, actor: Actor) {
  const outcome = await resetPassword(accountDeps(), ticket, input, actor);
  if (outcome.status === "reset") await openSession(outcome.userId, actor);
  return outcome;
}

/** A new-account ticket's form: the account is created now, and signed in. */
export async function confirmSignupWithTicket(ticket: string, input: { password?: unknown; confirm?: unknown }, actor: Actor) {
  const outcome = await confirmSignup(accountDeps(), ticket, input, actor);
  if (outcome.status === "created") await openSession(outcome.userId, actor);
  return outcome;
}

export function confirmEmailChangeWithTicket(ticket: string, actor: Actor) {
  return confirmEmailChange(accountDeps(), ticket, actor);
}

export function cancelEmailChangeWithTicket(ticket: string, actor: Actor) {
  return cancelEmailChange(accountDeps(), ticket, actor);
}

export function requestEmailChangeFor(userId: string, newEmail: string, actor: Actor) {
  return requestEmailChange(accountDeps(), userId, newEmail, actor);
}
