import "server-only";

import { actionPaths } from "@/lib/action-paths";
import { type BindingDeps, bindTicket, redeemLoginCode, retireBinding } from "@/lib/sign-in/binding";
import { browserSecret, ensureBrowserSecret } from "@/lib/sign-in/browser.server";
import { issueLoginLink } from "@/lib/sign-in/link";
import { checkRateLimits, loginRateLimitRules, peekRateLimit } from "@/lib/db/rate-limit";
import { env } from "@/lib/env";
import { withAnswerFloor } from "@/lib/http/answer-floor";
import type { Actor, RedeemResult, TicketRef } from "@/lib/tickets";
import { ttlSeconds } from "@/lib/tickets/kinds";
import { mayRefresh } from "@/lib/tickets/outcomes";

import { openSession } from "@/lib/sessions/session.server";
import { runtime } from "@/lib/runtime";

export type LinkRequestOutcome = { status: "sent" } | { status: "rate-limited"; retryAfterSeconds: number };

/**
 * Requests a sign-in link for `email` (already validated and normalised),
 * bound to this browser (decision 15). The answer is the same whether or not
 * the address has an account: the only difference is whether a mail is queued.
 */
export function requestLoginLink(email: string, next: string | null, actor: Actor): Promise<LinkRequestOutcome> {
  // An unknown address with sign-up closed does less work: the floor hides it.
  return withAnswerFloor(async () => {
    const { LOGIN_MIN_INTERVAL_SECONDS, LOGIN_MAX_PER_HOUR, LOGIN_MAX_PER_IP_PER_HOUR } = env();
    const limits = { minIntervalSeconds: LOGIN_MIN_INTERVAL_SECONDS, perAddressPerHour: LOGIN_MAX_PER_HOUR, perIpPerHour: LOGIN_MAX_PER_IP_PER_HOUR };
    const limit = await checkRateLimits(runtime().db, loginRateLimitRules(email, actor.ip ?? null, limits));
    if (!limit.allowed) return { status: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds };
    const { db, tickets, mailer, config } = runtime();
    const issued = await issueLoginLink({ db, tickets, actionPaths, sealMail: mailer.seal, mailQueued: mailer.queued, config }, email, next, actor);
    // Requests that sent no mail get a binding too, so the pages behave the same; no code can ever match it.
    const expiresAt = new Date(tickets.clock.now().getTime() + ttlSeconds("login", config) * 1000);
    await bindTicket(bindingDeps(), { ticketId: issued.ticketId, kind: "login", browser: await ensureBrowserSecret(), code: issued.code, expiresAt });
    return { status: "sent" };
  });
}

/**
 * Seconds until a sign-in link for `email` may be asked for from this client
 * (the limits requestLoginLink counts, looked at without counting); 0 when it
 * may be now. Only for a page whose reader asked for that address already.
 */
export async function secondsUntilLinkAllowed(email: string, actor: Actor): Promise<number> {
  const { LOGIN_MIN_INTERVAL_SECONDS, LOGIN_MAX_PER_HOUR, LOGIN_MAX_PER_IP_PER_HOUR } = env();
  const limits = { minIntervalSeconds: LOGIN_MIN_INTERVAL_SECONDS, perAddressPerHour: LOGIN_MAX_PER_HOUR, perIpPerHour: LOGIN_MAX_PER_IP_PER_HOUR };
  let wait = 0;
  for (const { key, ...rule } of loginRateLimitRules(email, actor.ip ?? null, limits)) wait = Math.max(wait, (await peekRateLimit(runtime().db, key, rule)).retryAfterSeconds);
  return wait;
}

export function bindingDeps(): BindingDeps {
  const { db, tickets, config } = runtime();
  return { db, tickets, config };
}

export type CodeOutcome =
  | { status: "signed-in"; redirectTo: string }
  | { status: "wrong"; attemptsLeft: number }
  | { status: "exhausted" }
  | { status: "no-request" }
  | { status: "refused"; result: RedeemResult };

/** Checks a typed code against this browser's pending request and, when right, signs in. */
export async function signInWithCode(code: string, actor: Actor): Promise<CodeOutcome> {
  const browser = await browserSecret();
  if (!browser) return { status: "no-request" };
  const outcome = await redeemLoginCode(bindingDeps(), browser, code, actor);
  switch (outcome.status) {
    case "wrong":
      return outcome.attemptsLeft > 0 ? outcome : { status: "exhausted" };
    case "exhausted":
    case "no-request":
      return outcome;
    case "redeemed":
      if (outcome.result.ticket) await retireBinding(bindingDeps(), outcome.result.ticket.id);
      return completeSignIn(outcome.result, actor);
  }
}

/**
 * After a ticket was spent: find or create the account, open a fresh
 * session and say where to go. Refusals come back as values.
 */
export async function completeSignIn(result: RedeemResult, actor: Actor): Promise<Exclude<CodeOutcome, { status: "wrong" | "exhausted" | "no-request" }>> {
  if (result.result !== "success" || !result.email) return { status: "refused", result };
  let user = await runtime().db.user.findUnique({ where: { email: result.email }, select: { id: true, disabled: true, emailVerified: true } });
  if (!user) {
    if (env().SIGNUP !== "open") return { status: "refused", result: { ...result, result: "error", status: "unknown" } };
    // upsert: two first sign-ins racing for one address end with one account.
    user = await runtime().db.user.upsert({ where: { email: result.email }, create: { email: result.email, emailVerified: new Date() }, update: {}, select: { id: true, disabled: true, emailVerified: true } });
  }
  if (user.disabled) return { status: "refused", result: { ...result, result: "error", status: "unknown" } };
  // Using a mailed ticket proves the address.
  if (!user.emailVerified) await runtime().db.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
  // Disabled since the read above (an administrator at this moment): refused the same way.
  if (!(await openSession(user.id, actor))) return { status: "refused", result: { ...result, result: "error", status: "unknown" } };
  return { status: "signed-in", redirectTo: actionPaths.redirectPath(result.data) ?? "/account" };
}

/**
 * Redeems a login ticket from the confirmation page's button — in the
 * browser that asked, or one whose request another device approved (`ref`
 * by id). A ticket of another type (a password reset link posted here) is
 * cancelled and its requester told (Bugzilla's Cancel): someone is using it
 * for what it was not made for. Once used, its typed code stops working too.
 */
export async function signInWithTicket(ref: TicketRef, actor: Actor): Promise<Awaited<ReturnType<typeof completeSignIn>> | { status: "misused" }> {
  const result = await runtime().tickets.redeemFor(["login"], ref, { actor, domain: env().TICKET_DOMAIN });
  if (result.result === "success" && result.ticket) await retireBinding(bindingDeps(), result.ticket.id);
  if (result.result === "misused") return { status: "misused" };
  return completeSignIn(result, actor);
}

export type FreshLinkOutcome = LinkRequestOutcome | { status: "not-allowed" };

/**
 * "Send me a fresh link" from an expired or used link's page: a new login
 * ticket for the same address and the same action. Rate-limited like any
 * request; never for revoked or superseded tickets (a newer mail exists, or an
 * administrator cancelled it).
 */
export async function requestFreshLink(ticket: string, actor: Actor): Promise<FreshLinkOutcome> {
  const { status, ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  // Only sign-in links are sent afresh here (lib/tickets/kinds.ts says which kinds may be).
  if (!found || found.type !== "login" || !found.email || !mayRefresh(status, found.type)) return { status: "not-allowed" };
  return requestLoginLink(found.email, found.data, actor);
}
