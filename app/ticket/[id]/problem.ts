// What a person is told about a ticket that cannot be used. Built on the
// server, rendered by server and client components alike, so it holds only
// plain, serialisable values — and never the full e-mail address.
import type { TicketState, TicketView } from "@/lib/tickets";
import { maskEmail } from "@/lib/validation/email";

export interface TicketProblem {
  kind: "expired" | "closed" | "superseded" | "revoked" | "unknown";
  maskedEmail: string | null;
  /** When and from where a used-up ticket was used (Sympa's message). */
  usedAt: string | null;
  usedFrom: string | null;
  /** Whether "send me a fresh link" is offered. */
  canRefresh: boolean;
}

export function formatWhen(date: Date): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date) + " UTC";
}

export function problemOf(status: TicketState | "unknown", ticket: TicketView | null): TicketProblem {
  const kind = status === "open" || !ticket || ticket.type !== "login" ? "unknown" : status;
  return {
    kind,
    maskedEmail: kind !== "unknown" && ticket?.email ? maskEmail(ticket.email) : null,
    usedAt: kind === "closed" && ticket?.lastUsedAt ? formatWhen(ticket.lastUsedAt) : null,
    usedFrom: kind === "closed" ? (ticket?.lastUsedIp ?? null) : null,
    canRefresh: kind === "expired" || kind === "closed",
  };
}
