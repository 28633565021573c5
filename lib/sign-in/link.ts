// Issuing a sign-in link: who gets a mail, what it carries. No Next.js here —
// the request-bound parts (cookies, headers) stay in lib/sign-in/sign-in.server.ts — so
// this runs in integration tests on a real database and outbox.
import { randomInt } from "node:crypto";

import { loginLinkEmail } from "@/emails/login-link";
import type { Db } from "@/lib/db/client";
import { ticketLink } from "@/lib/tickets/link";
import type { QueuedMail } from "@/lib/mail/outbox";
import type { ActionPathRegistry, Actor, OutboxMessage, TicketService } from "@/lib/tickets";
import { TICKET_KINDS, issueRules, ttlSeconds } from "@/lib/tickets/kinds";

export interface LoginLinkDeps {
  db: Db;
  tickets: TicketService;
  actionPaths: ActionPathRegistry;
  /** Seals the mail; the ticket store queues it with the ticket, in one transaction (lib/mail/outbox.ts sealForOutbox). */
  sealMail(mail: QueuedMail): OutboxMessage;
  /** Told once a mail is queued, so delivery can start at once. */
  mailQueued(): void;
  config: { APP_URL: string; SIGNUP: "open" | "closed"; LOGIN_TICKET_TTL_MINUTES: number };
}

export interface IssuedLogin {
  /** The ticket the mailed code stands for; null when no mail was sent. */
  ticketId: string | null;
  /** Generated either way, so both paths do the same work and look the same to the caller. */
  code: string;
}

/**
 * Issues and mails a login ticket when the address may sign in: an account
 * that is not disabled, or any address while sign-up is open. Otherwise it
 * sends nothing — and returns the same shape, so the caller's answer cannot
 * tell the two apart.
 */
export async function issueLoginLink(deps: LoginLinkDeps, email: string, next: string | null, actor: Actor): Promise<IssuedLogin> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, disabled: true } });
  const eligible = user ? !user.disabled : deps.config.SIGNUP === "open";
  if (!eligible) return { ticketId: null, code };

  // An action that is not registered is dropped, not refused: the person still gets signed in.
  const data = next && deps.actionPaths.check(next).ok ? next : null;
  const issued = await deps.tickets.issue({
    // One use; a new link retires the older ones (lib/tickets/kinds.ts).
    ...issueRules("login", deps.config),
    email,
    userId: user?.id ?? null,
    data,
    requestedFrom: actor,
    // Queued with the ticket, in its transaction: never a ticket without its mail.
    mail: (ticket) =>
      deps.sealMail({
        to: email,
        template: TICKET_KINDS.login.template,
        ...loginLinkEmail({ url: ticketLink(deps.config.APP_URL, ticket), code, expiresInMinutes: ttlSeconds("login", deps.config) / 60, requestedFromIp: actor.ip ?? null }),
      }),
  });
  if (!issued.ok) throw new Error(`login ticket refused: ${issued.error.code}`);
  deps.mailQueued();
  return { ticketId: issued.value.record.id, code };
}
