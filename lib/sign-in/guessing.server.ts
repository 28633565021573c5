import "server-only";

import { hitRateLimit, peekRateLimit, ticketGuessRule } from "@/lib/db/rate-limit";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/tickets";
import { runtime } from "@/lib/runtime";


/**
 * Ticket guessing is throttled per client address (lib/db/rate-limit.ts
 * ticketGuessRule): checked before a link is looked up, counted when it
 * matched nothing. Without a known client address there is nothing to count by.
 */
export async function guessingAllowed(actor: Actor): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  if (!actor.ip) return { allowed: true, retryAfterSeconds: 0 };
  const { key, ...rule } = ticketGuessRule(actor.ip, env().TICKET_GUESSES_PER_IP_PER_HOUR);
  return peekRateLimit(runtime().db, key, rule);
}

/** Counts a link that matched no ticket against the client's address. */
export async function noteUnknownTicket(actor: Actor): Promise<void> {
  if (!actor.ip) return;
  const { key, ...rule } = ticketGuessRule(actor.ip, env().TICKET_GUESSES_PER_IP_PER_HOUR);
  await hitRateLimit(runtime().db, key, rule);
}

