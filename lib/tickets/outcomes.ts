// One vocabulary for what a ticket's state means: what the ticket page tells
// a person about a link it cannot use (per state and kind), what a typed
// code's refusal says, the /v1 API's answer, the state and event labels of
// the account history and the admin console, and the pages a ticket form
// lands on once its work is done. Plain data and functions: server and
// client components read it alike.
import type { RedeemForOutcome } from "./cancel";
import { type MailedType, TICKET_KINDS, purposeOf } from "./kinds";
import type { EventKind, TicketState, TicketType } from "./types";
import { plural } from "@/lib/format";

/**
 * Why a ticket page shows no form. Beside the states: "unknown" (no such
 * ticket, or nothing to say about it), "misused" (presented for another
 * action, and cancelled just now), "throttled" (this client opened too many
 * links that match no ticket; nothing was looked up) and "sent-here" (a
 * superseded link whose replacement this browser asked for, typing the
 * address: "Send a link to this device").
 */
export type ProblemKind = Exclude<TicketState, "open"> | "unknown" | "misused" | "throttled" | "sent-here";

/** What the ticket page says about a ticket it cannot use: plain, serialisable values. */
export interface TicketProblem {
  kind: ProblemKind;
  /** What the ticket was for (null when unknown): the texts and the way out depend on it. */
  purpose: MailedType | null;
  /** The ticket's address as this reader may see it: in full for the browser that asked, masked for anyone else. */
  address: string | null;
  /** When and from where a used-up ticket was used (Sympa's message). */
  usedAt: string | null;
  usedFrom: string | null;
  /** Whether "Send me a fresh link" is offered. */
  canRefresh: boolean;
  /** How long to wait, for "throttled" ("12 minutes"). */
  waitFor?: string;
}

const SUPERSEDED_TITLE = "A newer link was sent";

function usedWhen(p: TicketProblem): string {
  return `${p.usedAt ? ` on ${p.usedAt}` : ""}${p.usedFrom ? ` from ${p.usedFrom}` : ""}`;
}

/**
 * The page per problem: its title, and its body for a sign-in link (also
 * the answer when nothing is known about the ticket) and for the other
 * kinds, which name the ticket by its purpose.
 */
const PAGES: Record<ProblemKind, { title: string; body: (p: TicketProblem) => string; named?: (noun: string, p: TicketProblem) => string }> = {
  expired: {
    title: "This link has expired",
    body: (p) => `Sign-in links work for a short time only. We can send a new one to ${p.address ?? "the same address"}, taking you to the same place.`,
    named: (noun) => `This ${noun} has expired.`,
  },
  closed: {
    title: "This link was already used",
    body: (p) => `It was used${usedWhen(p)}. Each link works once. If that was not you, sign in and check your account's history.`,
    named: (noun, p) => `This ${noun} was already used${usedWhen(p)}. Each link works once.`,
  },
  superseded: {
    title: SUPERSEDED_TITLE,
    body: () => "You asked for another link after this one, so this one no longer works. Use the link in the latest mail.",
    named: (noun) => `A newer ${noun} was sent, so this one no longer works. Use the link in the latest mail.`,
  },
  "sent-here": {
    title: "A link for this device is on its way",
    // The address ends its sentence: on a phone it may take a line of its own, and the sentence still reads.
    body: (p) => `We sent a new sign-in link that works in this browser to ${p.address ?? "the same address"}. Open it here; this one no longer works.`,
    named: (noun, p) => `We sent a new ${noun} that works in this browser to ${p.address ?? "the same address"}. Open it here; this one no longer works.`,
  },
  revoked: {
    title: "This link was cancelled",
    body: () => "It can no longer be used. Ask for a new link on the sign-in page.",
    named: (noun) => `This ${noun} was cancelled and can no longer be used.`,
  },
  unknown: { title: "This link is not valid", body: () => "It may be mistyped, incomplete, or too old. Ask for a new link on the sign-in page." },
  throttled: {
    title: "Too many links that do not work",
    body: (p) => `Many links opened from your network in the last hour did not exist, so links are paused here for ${p.waitFor ?? "a while"}. Then open the link from your mail again.`,
  },
  misused: {
    title: "This link was cancelled",
    body: () => "It was made for something else than this page, so it has been cancelled for safety, and whoever asked for it has been told by mail. Ask for a new link if you need one.",
  },
};

/** The ticket page's title, body and way out for `problem`. */
export function problemText(problem: TicketProblem): { title: string; body: string; again: { href: string; label: string } } {
  const page = PAGES[problem.kind];
  const purpose = problem.purpose ?? "login";
  const body = purpose !== "login" && page.named ? page.named(purposeOf(purpose), problem) : page.body(problem);
  // Unknown, misused and throttled links say nothing about what they were for: the way out is the sign-in page.
  const again = page.named ? TICKET_KINDS[purpose].again : TICKET_KINDS.login.again;
  return { title: page.title, body, again };
}

/** Whether a ticket in this state may be replaced by a fresh one from its own page. */
export function mayRefresh(state: TicketState | ProblemKind, type: TicketType | null): boolean {
  return type !== null && TICKET_KINDS[type].refreshable && (state === "expired" || state === "closed");
}

/**
 * A typed sign-in code's refusal. The code stands for a sign-in link, so a
 * superseded code is told what a superseded link is told.
 */
export function codeRefusal(result: { result: string; status: TicketState | "unknown" }): string {
  if (result.result === "expired") return "This code has expired. Ask for a new link.";
  if (result.status === "superseded") return `${SUPERSEDED_TITLE}. Use the code in the latest mail.`;
  return "This code can no longer be used. Ask for a new link.";
}

/**
 * The /v1 API's answer to a use that did not succeed (lib/api/errors.ts):
 * unknown, used up, expired, cancelled or another project's get one code, so
 * nothing about the ticket leaks.
 */
export const API_CODES = { expired: 102011, closed: 102011, error: 102011, misused: 102011 } as const satisfies Record<Exclude<RedeemForOutcome, "success">, number>;

/** A state in one word or two, for the account history and the admin console. */
export const STATE_LABELS: Record<TicketState, string> = { open: "Open", closed: "Used", expired: "Expired", revoked: "Cancelled", superseded: "Replaced" };

/** What happened to a ticket, per audience: people read about their links; administrators about tickets of every kind. */
const EVENT_LABELS: Record<EventKind, { person: string; admin: string }> = {
  issued: { person: "Requested", admin: "Issued" },
  opened: { person: "Opened without using it", admin: "Opened without using it" },
  opened_elsewhere: { person: "Opened in another browser (a mail scanner, or your other device)", admin: "Opened in a browser that did not ask for it" },
  approved: { person: "Approved from another device", admin: "Approved from another device (number matched)" },
  wrong_number: { person: "A wrong number was typed on another device", admin: "Wrong number typed in another browser" },
  used: { person: "Used", admin: "Used" },
  refused: { person: "Refused", admin: "Refused" },
  expired: { person: "Expired", admin: "Expired" },
  revoked: { person: "Cancelled", admin: "Cancelled" },
  superseded: { person: "Replaced by a newer link", admin: "Replaced by a newer ticket" },
};

/** Sign-in links are used to sign in, and that is what people call it. */
const LOGIN_EVENT_LABELS: Partial<Record<EventKind, string>> = { opened: "Opened without signing in", used: "Used to sign in" };

export function eventLabel(kind: EventKind, type: TicketType, audience: "person" | "admin"): string {
  if (audience === "person" && type === "login") return LOGIN_EVENT_LABELS[kind] ?? EVENT_LABELS[kind].person;
  return EVENT_LABELS[kind][audience];
}

/**
 * What a person is told after a ticket did its work and there is nothing
 * left to show on the ticket's own page (it is used now). The ticket forms
 * redirect to /done/<outcome>: a plain GET page that reads the same with and
 * without JavaScript, and that a reload or the back button cannot re-submit.
 */
export const DONE_OUTCOMES = {
  "account-exists": {
    title: "You already have an account",
    message: "This address got an account in the meantime, so nothing was created. Sign in with a link, or reset the password.",
    next: { href: "/login", label: "Sign in" },
  },
  "email-changed": {
    title: "Your address was changed",
    message: "Your account now uses this address. Sign in with it from now on.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-taken": {
    title: "The address was not changed",
    message: "This address already has an account, so it cannot be used for another one.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-stale": {
    title: "The address was not changed",
    message: "The account's address changed since this link was sent, so nothing was done.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-cancelled": {
    title: "The change was cancelled",
    message: "Your account keeps this address. The confirmation link sent to the other address no longer works.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-undone": {
    title: "The change was undone",
    message:
      "Your account uses this address again. To shut out whoever changed it, every session was signed out, the password was removed and every personal API token was revoked. Sign in with a link mailed to this address, then set a new password on your account page.",
    next: { href: "/login", label: "Sign in" },
  },
  "email-change-kept": {
    title: "Nothing was changed",
    message: "Your account keeps its address.",
    next: { href: "/account", label: "Go to your account" },
  },
} as const satisfies Record<string, { title: string; message: string; next: { href: string; label: string } }>;

export type DoneOutcome = keyof typeof DONE_OUTCOMES;

export function donePath(outcome: DoneOutcome): string {
  return `/done/${outcome}`;
}

/** What undoing a confirmed e-mail change took away from whoever held the account. */
export interface UndoneCounts {
  sessions: number;
  passwordRemoved: boolean;
  tokens: number;
}

/** The undo's done page, carrying what was taken away (the page says it in words). */
export function undonePath(undone: UndoneCounts): string {
  return `${donePath("email-change-undone")}?sessions=${undone.sessions}&password=${undone.passwordRemoved ? 1 : 0}&tokens=${undone.tokens}`;
}

/** The counts back from the done page's query; null when they are missing or malformed (the page then says it without them). */
export function undoneFrom(query: Record<string, string | string[] | undefined>): UndoneCounts | null {
  const count = (value: unknown) => (typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : null);
  const sessions = count(query.sessions);
  const tokens = count(query.tokens);
  const password = query.password === "1" ? true : query.password === "0" ? false : null;
  return sessions === null || tokens === null || password === null ? null : { sessions, passwordRemoved: password, tokens };
}

/**
 * The undo's message, exactly: "Your account uses this address again. To shut out whoever changed
 * it, 2 sessions were signed out, the password was removed and 1 personal API token was revoked. …"
 */
export function undoneMessage(undone: UndoneCounts): string {
  const was = (n: number) => (n === 1 ? "was" : "were");
  const sessions = undone.sessions ? `${plural(undone.sessions, "session")} ${was(undone.sessions)} signed out` : "no session was open";
  const password = undone.passwordRemoved ? "the password was removed" : "the account had no password to remove";
  const tokens = undone.tokens ? `${plural(undone.tokens, "personal API token")} ${was(undone.tokens)} revoked` : "there was no personal API token to revoke";
  const next = undone.passwordRemoved ? "Sign in with a link mailed to this address, then set a new password on your account page." : "Sign in with a link mailed to this address.";
  return `Your account uses this address again. To shut out whoever changed it, ${sessions}, ${password} and ${tokens}. ${next}`;
}

export function isDoneOutcome(value: string): value is DoneOutcome {
  return Object.hasOwn(DONE_OUTCOMES, value);
}
