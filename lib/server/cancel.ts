import "server-only";

import { type CancelOutcome, cancelTicket as cancelWith } from "@/lib/auth/cancel-ticket";
import type { Actor } from "@/lib/tickets";

import { sendMail } from "./mail";
import { tickets } from "./tickets";

/** Revokes a ticket with a reason and mails the reason to whoever asked for it (see lib/auth/cancel-ticket.ts). */
export function cancelTicket(ticketId: string, reason: string, by: "admin" | "misuse", actor: Actor): Promise<CancelOutcome> {
  return cancelWith({ tickets: tickets(), sendMail }, ticketId, reason, by, actor);
}
