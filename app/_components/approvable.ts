// The kinds of request another device can approve with the asking tab's
// number (decision 15), and what the person approves there. A plain module:
// server pages read it too (a "use client" module's exports are references there).
import type { TicketType } from "@/lib/tickets";

export const APPROVING = {
  login: "the sign-in",
  password_reset: "the password reset",
  new_account: "the new account",
  email_change_new: "the new address",
} as const satisfies Partial<Record<TicketType, string>>;

export type ApprovableKind = keyof typeof APPROVING;

export const isApprovable = (kind: unknown): kind is ApprovableKind => typeof kind === "string" && Object.hasOwn(APPROVING, kind);
