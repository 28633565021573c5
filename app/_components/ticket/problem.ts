// Which problem the ticket page shows for a ticket that cannot be used (its
// words: lib/tickets/outcomes.ts). Built on the server, rendered by server
// and client components alike, so it holds only plain, serialisable values.
// The address is in full only for the browser that asked for the link (it
// typed it); anyone else may not own it and sees it masked.
import type { TicketState, TicketView } from "@/lib/tickets";
import { type TicketProblem, mayRefresh } from "@/lib/tickets/outcomes";
import { formatWhen, waitText } from "@/lib/format";
import { maskEmail } from "@/lib/forms/email";

export function problemOf(status: TicketState | "unknown", ticket: TicketView | null, reader: "asker" | "anyone" = "anyone"): TicketProblem {
  const purpose = ticket && ticket.type !== "api" ? ticket.type : null;
  const kind = status === "open" || !purpose ? "unknown" : status;
  return {
    kind,
    purpose: kind === "unknown" ? null : purpose,
    address: kind !== "unknown" && ticket?.email ? (reader === "asker" ? ticket.email : maskEmail(ticket.email)) : null,
    usedAt: kind === "closed" && ticket?.lastUsedAt ? formatWhen(ticket.lastUsedAt) : null,
    usedFrom: kind === "closed" ? (ticket?.lastUsedIp ?? null) : null,
    canRefresh: mayRefresh(kind, purpose),
  };
}

export const MISUSED: TicketProblem = { kind: "misused", purpose: null, address: null, usedAt: null, usedFrom: null, canRefresh: false };

/** Ticket guessing is throttled per client address (lib/sign-in/guessing.server.ts). */
export function throttled(retryAfterSeconds: number): TicketProblem {
  return { kind: "throttled", purpose: null, address: null, usedAt: null, usedFrom: null, canRefresh: false, waitFor: waitText(retryAfterSeconds) };
}
