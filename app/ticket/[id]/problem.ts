// What a person is told about a ticket that cannot be used. Built on the
// server, rendered by server and client components alike, so it holds only
// plain, serialisable values — and never the full e-mail address.
import type { TicketState, TicketType, TicketView } from "@/lib/tickets";
import { waitText } from "@/lib/format";
import { maskEmail } from "@/lib/forms/email";

export interface TicketProblem {
  /**
   * "misused": the ticket was presented for another action and has just been cancelled.
   * "throttled": this client opened too many links that match no ticket; nothing was looked up.
   */
  kind: "expired" | "closed" | "superseded" | "revoked" | "unknown" | "misused" | "throttled";
  /** What the ticket was for (null when unknown): the texts and the way out depend on it. */
  purpose: Exclude<TicketType, "api"> | null;
  maskedEmail: string | null;
  /** When and from where a used-up ticket was used (Sympa's message). */
  usedAt: string | null;
  usedFrom: string | null;
  /** Whether "send me a fresh link" is offered (sign-in links only). */
  canRefresh: boolean;
  /** How long to wait, for "throttled" ("12 minutes"). */
  waitFor?: string;
}

export function formatWhen(date: Date): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date) + " UTC";
}

export function problemOf(status: TicketState | "unknown", ticket: TicketView | null): TicketProblem {
  const purpose = ticket && ticket.type !== "api" ? ticket.type : null;
  const kind = status === "open" || !purpose ? "unknown" : status;
  return {
    kind,
    purpose: kind === "unknown" ? null : purpose,
    maskedEmail: kind !== "unknown" && ticket?.email ? maskEmail(ticket.email) : null,
    usedAt: kind === "closed" && ticket?.lastUsedAt ? formatWhen(ticket.lastUsedAt) : null,
    usedFrom: kind === "closed" ? (ticket?.lastUsedIp ?? null) : null,
    canRefresh: purpose === "login" && (kind === "expired" || kind === "closed"),
  };
}

export const MISUSED: TicketProblem = { kind: "misused", purpose: null, maskedEmail: null, usedAt: null, usedFrom: null, canRefresh: false };

/** Ticket guessing is throttled per client address (lib/sign-in/guessing.server.ts). */
export function throttled(retryAfterSeconds: number): TicketProblem {
  return { kind: "throttled", purpose: null, maskedEmail: null, usedAt: null, usedFrom: null, canRefresh: false, waitFor: waitText(retryAfterSeconds) };
}
