// What each ticket type is, in one table: how long it lives, how often it
// works, whether a newer one retires it, what people call it, whether a fresh
// one may be asked for, where to ask again and which mail carries it. The
// flows that issue tickets and the pages that explain them read it here
// rather than saying it again. Plain data: client components read it too.
import type { TicketType } from "./types";

/** The settings lifetimes come from (lib/env.ts). */
export interface KindConfig {
  LOGIN_TICKET_TTL_MINUTES: number;
  PASSWORD_RESET_TTL_MINUTES: number;
  SIGNUP_TTL_HOURS: number;
  EMAIL_CHANGE_TTL_DAYS: number;
}

/** The types mailed to a person; "api" tickets are handed to a /v1 caller instead. */
export type MailedType = Exclude<TicketType, "api">;

interface KindBase {
  /** What people call it, in running text: "sign-in link", … */
  purpose: string;
  /** Whether issuing one retires the owner's open ones of the type (OTOBO's "WrongLink"). */
  supersede: boolean;
  /** Whether the page of a used or expired one offers "Send me a fresh link". */
  refreshable: boolean;
}

export interface MailedKind extends KindBase {
  /** How long it lives: the setting, times seconds per unit of that setting. */
  ttl: { setting: keyof KindConfig; unitSeconds: number };
  uses: number;
  /** Where to ask again when it no longer works. */
  again: { href: string; label: string };
  /** The mail that carries it (emails/<template>.ts). */
  template: string;
}

/** The /v1 caller chooses an API ticket's lifetime and uses, and gets the ticket in the answer. */
export interface ApiKind extends KindBase {
  ttl: null;
  uses: null;
  again: null;
  template: null;
}

export const TICKET_KINDS = {
  login: {
    purpose: "sign-in link",
    ttl: { setting: "LOGIN_TICKET_TTL_MINUTES", unitSeconds: 60 },
    uses: 1,
    supersede: true,
    refreshable: true,
    again: { href: "/login", label: "Ask for a new link" },
    template: "login-link",
  },
  password_reset: {
    purpose: "password reset link",
    ttl: { setting: "PASSWORD_RESET_TTL_MINUTES", unitSeconds: 60 },
    uses: 1,
    supersede: true,
    refreshable: false,
    again: { href: "/reset", label: "Ask for a new reset link" },
    template: "password-reset",
  },
  new_account: {
    purpose: "new account confirmation link",
    ttl: { setting: "SIGNUP_TTL_HOURS", unitSeconds: 3600 },
    uses: 1,
    supersede: true,
    refreshable: false,
    again: { href: "/signup", label: "Start again" },
    template: "new-account",
  },
  // An e-mail change is withdrawn as a pair (lib/account/email-change.ts), never superseded:
  // that would take the undo link of a confirmed change away from the previous address.
  email_change_new: {
    purpose: "e-mail change confirmation link",
    ttl: { setting: "EMAIL_CHANGE_TTL_DAYS", unitSeconds: 86_400 },
    uses: 1,
    supersede: false,
    refreshable: false,
    again: { href: "/account", label: "Go to your account" },
    template: "email-change-new",
  },
  email_change_old: {
    purpose: "e-mail change cancellation link",
    ttl: { setting: "EMAIL_CHANGE_TTL_DAYS", unitSeconds: 86_400 },
    uses: 1,
    supersede: false,
    refreshable: false,
    again: { href: "/account", label: "Go to your account" },
    template: "email-change-old",
  },
  api: { purpose: "hand-over ticket", ttl: null, uses: null, supersede: false, refreshable: false, again: null, template: null },
} as const satisfies { [T in MailedType]: MailedKind } & { api: ApiKind };

/** What people call a ticket of `type`. */
export function purposeOf(type: TicketType): string {
  return TICKET_KINDS[type].purpose;
}

/** The same, to start a line or a label: "Sign-in link". */
export function purposeLabel(type: TicketType): string {
  const purpose = purposeOf(type);
  return purpose.charAt(0).toUpperCase() + purpose.slice(1);
}

/** The setting a mailed type's lifetime comes from. */
export type TtlSetting<T extends MailedType> = (typeof TICKET_KINDS)[T]["ttl"]["setting"];

/** Seconds until a new ticket of `type` expires, from the settings. */
export function ttlSeconds<T extends MailedType>(type: T, config: Pick<KindConfig, TtlSetting<T>>): number {
  const { setting, unitSeconds }: MailedKind["ttl"] = TICKET_KINDS[type].ttl;
  return (config as KindConfig)[setting] * unitSeconds;
}

/** The part of `tickets.issue`'s input a mailed type decides, spread into the call. */
export function issueRules<T extends MailedType>(type: T, config: Pick<KindConfig, TtlSetting<T>>): { type: T; ttlSeconds: number; uses: number; supersede: boolean } {
  const kind: MailedKind = TICKET_KINDS[type];
  return { type, ttlSeconds: ttlSeconds(type, config), uses: kind.uses, supersede: kind.supersede };
}
