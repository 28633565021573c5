import "server-only";

import { cookies } from "next/headers";

import { actionPaths } from "@/lib/action-paths";
import { type LoginCodeDeps, bindLoginCode, redeemLoginCode, redeemLoginLink } from "@/lib/sign-in/code";
import { issueLoginLink } from "@/lib/sign-in/link";
import { checkRateLimits, loginRateLimitRules } from "@/lib/db/rate-limit";
import { env } from "@/lib/env";
import { withAnswerFloor } from "@/lib/http/answer-floor";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { mayRefresh } from "@/lib/tickets/outcomes";

import { openSession } from "@/lib/sessions/session.server";
import { runtime } from "@/lib/runtime";

/** The cookie that binds a typed code to the browser that asked for it. */
const CODE_COOKIE = "tg_login";

export type LinkRequestOutcome = { status: "sent" } | { status: "rate-limited"; retryAfterSeconds: number };

/**
 * Requests a sign-in link for `email` (already validated and normalised).
 * The answer is the same whether or not the address has an account: the
 * only difference is whether a mail is queued.
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
    await bindCodeToBrowser(issued.ticketId, issued.code);
    return { status: "sent" };
  });
}

function codeDeps(): LoginCodeDeps {
  return { db: runtime().db, tickets: runtime().tickets, config: env() };
}

/** Remembers, for this browser only (its cookie), which ticket the typed code stands for. */
async function bindCodeToBrowser(ticketId: string | null, code: string): Promise<void> {
  const jar = await cookies();
  const { browser, expiresAt } = await bindLoginCode(codeDeps(), ticketId, code, jar.get(CODE_COOKIE)?.value);
  jar.set(CODE_COOKIE, browser, { httpOnly: true, sameSite: "lax", secure: env().APP_URL.startsWith("https://"), path: "/", expires: expiresAt });
}

export type CodeOutcome =
  | { status: "signed-in"; redirectTo: string }
  | { status: "wrong"; attemptsLeft: number }
  | { status: "exhausted" }
  | { status: "no-request" }
  | { status: "refused"; result: RedeemResult };

/** Checks a typed code against this browser's pending request and, when right, signs in. */
export async function signInWithCode(code: string, actor: Actor): Promise<CodeOutcome> {
  const jar = await cookies();
  const browser = jar.get(CODE_COOKIE)?.value;
  if (!browser) return { status: "no-request" };
  const outcome = await redeemLoginCode(codeDeps(), browser, code, actor);
  switch (outcome.status) {
    case "wrong":
      return outcome.attemptsLeft > 0 ? outcome : { status: "exhausted" };
    case "exhausted":
    case "no-request":
      return outcome;
    case "redeemed":
      // The row is gone (claimed); the cookie goes with it.
      jar.delete(CODE_COOKIE);
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
  await openSession(user.id, actor);
  return { status: "signed-in", redirectTo: actionPaths.redirectPath(result.data) ?? "/account" };
}

/**
 * Redeems a login ticket from the confirmation page's button. A ticket of
 * another type (a password reset link posted here) is cancelled and its
 * requester told (Bugzilla's Cancel): someone is using it for what it was not made for.
 */
export async function signInWithTicket(ticket: string, actor: Actor): Promise<Awaited<ReturnType<typeof completeSignIn>> | { status: "misused" }> {
  const jar = await cookies();
  // A used link retires the typed code of its request and this browser's pending code (row and cookie).
  const result = await redeemLoginLink(codeDeps(), ticket, actor, jar.get(CODE_COOKIE)?.value);
  if (result.result === "success") jar.delete(CODE_COOKIE);
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
