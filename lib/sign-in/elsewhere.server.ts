import "server-only";

// A ticket's link opened in a browser that did not ask for it (decision 15):
// who may use it, number matching, and a fresh link for this device. The
// ticket pages and their actions call these; the rules are in binding.ts.
import { requestPasswordResetMail, requestSignupMail } from "@/lib/account/account.server";
import { resetRateLimitRules } from "@/lib/account/password-reset";
import { type KeyedRateLimitRule, peekRateLimit } from "@/lib/db/rate-limit";
import { env } from "@/lib/env";
import { describeUserAgent } from "@/lib/http/user-agent";
import { runtime } from "@/lib/runtime";
import { type Actor, type TicketRef, type TicketType, type TicketView } from "@/lib/tickets";

import { type Binding, type NumberOutcome, type Relation, type UndoCodeCheck, approvedRequest, checkTicketCode, relationTo, tryApprovalNumber } from "./binding";
import { browserSecret, ensureBrowserSecret } from "./browser.server";
import { type LinkRequestOutcome, bindingDeps, requestLoginLink, secondsUntilLinkAllowed } from "./sign-in.server";

/** Who asked for a ticket, as the other browser's page tells it: the browser and system, the address, when. */
export interface AskedBy {
  browser: string;
  ip: string | null;
  at: Date;
}

export function askedBy(ticket: TicketView): AskedBy {
  return { browser: describeUserAgent(ticket.requestedFromUa), ip: ticket.requestedFromIp, at: ticket.createdAt };
}

/** How this browser stands to a ticket (a look, not a use). */
export async function relationOfThisBrowser(ticketId: string): Promise<{ relation: Relation; binding: Binding | null }> {
  return relationTo(bindingDeps(), ticketId, await browserSecret());
}

export type TicketAccess = { ok: true; ref: TicketRef } | { ok: false; relation: Exclude<Relation, "asker"> };

/**
 * Whether this browser may use, by a press, the ticket a form carries
 * (`ticket`, its raw value) — or, with no ticket, this browser's own request
 * that another device approved (the asking tab continuing, `kinds` it may be).
 * A ticket that is no longer open is let through: using it spends nothing,
 * and the flow explains what happened to it.
 */
export async function ticketAccess(ticket: string | undefined, kinds: readonly TicketType[]): Promise<TicketAccess> {
  const browser = await browserSecret();
  if (ticket === undefined) {
    const approved = await approvedRequest(bindingDeps(), browser);
    return approved && kinds.includes(approved.kind as TicketType) ? { ok: true, ref: { id: approved.ticketId } } : { ok: false, relation: "unbound" };
  }
  const { status, ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  if (!found || status !== "open") return { ok: true, ref: { ticket } };
  const { relation } = await relationTo(bindingDeps(), found.id, browser);
  return relation === "asker" ? { ok: true, ref: { ticket } } : { ok: false, relation };
}

/** The ticket of this browser's approved request, to continue with on /continue. */
export async function approvedTicketOfThisBrowser(): Promise<TicketView | null> {
  const approved = await approvedRequest(bindingDeps(), await browserSecret());
  if (!approved) return null;
  const found = await runtime().tickets.get(approved.ticketId);
  return found && found.ticket.status === "open" ? found.ticket : null;
}

export type ApprovalOutcome = NumberOutcome | { status: "not-open" };

/** The other device typed the asking tab's number: approve that tab, or move the ticket to this browser. */
export async function approveWithNumber(ticket: string, number: string, intent: "approve" | "here", actor: Actor): Promise<ApprovalOutcome> {
  const { status, ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  if (!found || status !== "open") return { status: "not-open" };
  return tryApprovalNumber(bindingDeps(), found.id, number, intent, await ensureBrowserSecret(), actor);
}

/** "sent" carries the wait until another link may be asked for: the page counts it down. */
export type LinkHereOutcome = { status: "sent"; waitSeconds: number } | Exclude<LinkRequestOutcome, { status: "sent" }> | { status: "wrong-address" } | { status: "not-allowed" };

/**
 * When the asking tab is gone: a fresh link for this device, mailed to the
 * ticket's address and bound to this browser (same action; rate-limited as
 * any request). The person types the full address, which the page does not
 * show: a scanner pressing every button has only the masked one.
 */
export async function linkForThisDevice(ticket: string, typedEmail: string, actor: Actor): Promise<LinkHereOutcome> {
  const { ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  if (!found?.email) return { status: "not-allowed" };
  if (typedEmail !== found.email) return { status: "wrong-address" };
  const sent = async (): Promise<LinkHereOutcome> => ({ status: "sent", waitSeconds: await secondsUntilLinkHereAllowed(found.type, found.email!, actor) });
  switch (found.type) {
    case "login": {
      const outcome = await requestLoginLink(found.email, found.data, actor);
      return outcome.status === "sent" ? sent() : outcome;
    }
    case "password_reset": {
      const outcome = await requestPasswordResetMail(found.email, actor);
      return outcome.status === "sent" ? sent() : { status: "rate-limited", retryAfterSeconds: outcome.retryAfterSeconds };
    }
    case "new_account": {
      const outcome = await requestSignupMail(found.email, actor);
      if (outcome.status === "closed") return { status: "not-allowed" };
      return outcome.status === "sent" ? sent() : { status: "rate-limited", retryAfterSeconds: outcome.retryAfterSeconds };
    }
    default:
      return { status: "not-allowed" };
  }
}

/**
 * Seconds until another link of `type` for `email` may be asked for from
 * this client (the limits its request counts, looked at without counting);
 * 0 when it may be now. Only for a reader who typed the address in full:
 * anyone else would learn that someone asked for that address lately.
 */
export async function secondsUntilLinkHereAllowed(type: TicketType, email: string, actor: Actor): Promise<number> {
  if (type === "login") return secondsUntilLinkAllowed(email, actor);
  const rules: KeyedRateLimitRule[] = resetRateLimitRules(type === "new_account" ? "signup" : "reset", email, actor.ip ?? null, runtime().config);
  let wait = 0;
  for (const { key, ...rule } of rules) wait = Math.max(wait, (await peekRateLimit(runtime().db, key, rule)).retryAfterSeconds);
  return wait;
}

/**
 * Whether the link that replaced `ticket` (following newer links to the one
 * still open) was asked for by this browser — on this link's page, "Send a
 * link to this device", or anywhere else, typing the address in full. The
 * page of the replaced link then says a link for this device is on its way,
 * rather than only "a newer link was sent".
 */
export async function replacedForThisBrowser(ticket: TicketView): Promise<TicketView | null> {
  const browser = await browserSecret();
  if (!browser || ticket.status !== "superseded") return null;
  let id = ticket.supersededById;
  // A few hops at most: each newer link asked for replaces the one before it.
  for (let hop = 0; hop < 5 && id; hop++) {
    const found = await runtime().tickets.get(id);
    if (!found || found.ticket.email !== ticket.email || found.ticket.type !== ticket.type) return null;
    if (found.ticket.status === "open") return (await relationTo(bindingDeps(), found.ticket.id, browser)).relation === "asker" ? found.ticket : null;
    if (found.ticket.status !== "superseded") return null;
    id = found.ticket.supersededById;
  }
  return null;
}

/** The undo link's code, typed: checked (and its try spent) before anything is used. */
export async function checkUndoCode(ticket: string, code: string): Promise<UndoCodeCheck> {
  const { ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  // An unknown or ended ticket: let the flow say what happened to it; nothing can be spent.
  if (!found || found.status !== "open") return { status: "right" };
  // An undo link mailed before links carried codes (it expires within EMAIL_CHANGE_TTL_DAYS of the upgrade) works as it did.
  const { binding } = await relationTo(bindingDeps(), found.id, undefined);
  if (!binding) return { status: "right" };
  return checkTicketCode(bindingDeps(), found.id, code);
}
