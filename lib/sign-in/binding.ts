// Links that work only for the person (docs/decisions/0015-links-work-only-for-the-person.md).
//
// A ticket is bound to the browser that asked for it: the `tg_browser`
// cookie holds a random secret, the binding row its SHA-256. That browser
// spends the ticket with one press. Any other browser — a mail scanner that
// presses buttons, or the person's phone — gets nothing by pressing: it must
// type the 4-digit number the asking tab shows (to approve that tab, or to
// move the ticket here), or have a fresh link mailed to it. The typed sign-in
// code and the e-mail change undo code are kept on the same row.
//
// No Next.js here (the cookie is read in browser.server.ts), so all of it
// runs in integration tests on real databases.
import { createHmac } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { hashSecret, sameHash } from "@/lib/secrets";
import type { Actor, RedeemResult, TicketService, TicketType } from "@/lib/tickets";

/** Numbers another browser may try per ticket: a guesser's chance is 3 in 10,000. */
export const APPROVAL_ATTEMPTS = 3;
/** Wrong codes allowed per request before the code stops working (the link still does). */
export const CODE_ATTEMPTS = 5;
/** Digits of the approval number. */
const NUMBER_DIGITS = 4;

export interface BindingDeps {
  db: Db;
  tickets: TicketService;
  config: { AUTH_SECRET: string; TICKET_DOMAIN: string };
}

export interface Binding {
  id: string;
  browserHash: string | null;
  ticketId: string | null;
  kind: string;
  approvalAttemptsLeft: number;
  approvedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

const BINDING = { id: true, browserHash: true, ticketId: true, kind: true, approvalAttemptsLeft: true, approvedAt: true, expiresAt: true, createdAt: true } as const;

function keyed(secret: string, ...parts: string[]): string {
  return createHmac("sha256", secret).update(parts.join(":")).digest("hex");
}

function codeHash(secret: string, bindingKey: string, code: string): string {
  return keyed(secret, "code", bindingKey, code);
}

/**
 * Binds a ticket to the browser whose cookie is `browser` (null: to no
 * browser — the undo link, which a typed code gates). `ticketId` null: no
 * mail was sent (an unknown address), and the row is there all the same, so
 * the pages behave alike. `code`: the code the mail prints, to be typed.
 */
export async function bindTicket(deps: BindingDeps, input: { ticketId: string | null; kind: TicketType; browser: string | null; code?: string | null; expiresAt: Date }): Promise<Binding> {
  const browserHash = input.browser ? hashSecret(input.browser) : null;
  // The code's HMAC is keyed to the row it belongs to, so a code cannot be replayed against another request.
  const codeKey = browserHash ?? input.ticketId ?? "none";
  return deps.db.ticketBinding.create({
    data: {
      browserHash,
      ticketId: input.ticketId,
      kind: input.kind,
      codeHash: input.code ? codeHash(deps.config.AUTH_SECRET, codeKey, input.code) : null,
      codeAttemptsLeft: input.code ? CODE_ATTEMPTS : 0,
      approvalAttemptsLeft: APPROVAL_ATTEMPTS,
      expiresAt: input.expiresAt,
    },
    select: BINDING,
  });
}

/** How the browser looking at a ticket stands to it. */
export type Relation = "asker" | "elsewhere" | "unbound";

/**
 * "asker": the browser that asked; "elsewhere": another one; "unbound": the
 * ticket is bound to no browser (the undo link, or a ticket from before
 * bindings existed), so no browser may spend it by a press alone.
 */
export async function relationTo(deps: BindingDeps, ticketId: string, browser: string | undefined): Promise<{ relation: Relation; binding: Binding | null }> {
  const binding = await deps.db.ticketBinding.findUnique({ where: { ticketId }, select: BINDING });
  if (!binding?.browserHash) return { relation: "unbound", binding };
  const relation = browser && sameHash(binding.browserHash, hashSecret(browser)) ? "asker" : "elsewhere";
  return { relation, binding };
}

/** The number the asking tab shows: derived, never stored, and only the asking browser's own hash gives it. */
export function approvalNumber(secret: string, binding: Pick<Binding, "id" | "browserHash">): string {
  const digest = createHmac("sha256", secret).update(`approve:${binding.id}:${binding.browserHash ?? ""}`).digest();
  return String(digest.readUInt32BE(0) % 10 ** NUMBER_DIGITS).padStart(NUMBER_DIGITS, "0");
}

export type NumberOutcome =
  /** The asking tab may now continue; this browser got nothing. */
  | { status: "approved" }
  /** The ticket is bound to this browser now, which may use it. */
  | { status: "moved" }
  | { status: "wrong"; attemptsLeft: number }
  /** No attempts left (or nothing to approve): the asking browser and the code still work. */
  | { status: "locked" };

/**
 * Another browser typed `number` for a ticket. Each try is spent before it
 * is compared, in one conditional write, so parallel guesses cannot exceed
 * APPROVAL_ATTEMPTS. On a match, "approve" lets the asking tab continue;
 * "here" moves the binding to this browser (`browser`, its cookie).
 */
export async function tryApprovalNumber(deps: BindingDeps, ticketId: string, number: string, intent: "approve" | "here", browser: string, actor: Actor): Promise<NumberOutcome> {
  const now = deps.tickets.clock.now();
  const [spent] = await deps.db.ticketBinding.updateManyAndReturn({
    where: { ticketId, browserHash: { not: null }, approvalAttemptsLeft: { gt: 0 }, expiresAt: { gt: now } },
    data: { approvalAttemptsLeft: { decrement: 1 } },
    select: BINDING,
  });
  if (!spent) return { status: "locked" };
  const expected = approvalNumber(deps.config.AUTH_SECRET, spent);
  if (!sameHash(keyed(deps.config.AUTH_SECRET, "n", expected), keyed(deps.config.AUTH_SECRET, "n", number.trim()))) {
    await deps.tickets.note(ticketId, "wrong_number", actor);
    return { status: "wrong", attemptsLeft: spent.approvalAttemptsLeft };
  }
  if (intent === "approve") {
    await deps.db.ticketBinding.update({ where: { id: spent.id }, data: { approvedAt: now, approvedIp: actor.ip ?? null, approvedUa: actor.userAgent ?? null } });
    await deps.tickets.note(ticketId, "approved", actor, "the asking device may continue");
    return { status: "approved" };
  }
  await deps.db.ticketBinding.update({ where: { id: spent.id }, data: { browserHash: hashSecret(browser), approvedAt: null, codeHash: null, codeAttemptsLeft: 0 } });
  await deps.tickets.note(ticketId, "approved", actor, "continued on this device instead");
  return { status: "moved" };
}

/** The newest request this browser made for one of `kinds` that is still waiting (for the pages that show its number). */
export async function latestRequest(deps: BindingDeps, browser: string | undefined, kinds: readonly TicketType[]): Promise<Binding | null> {
  if (!browser) return null;
  return deps.db.ticketBinding.findFirst({
    where: { browserHash: hashSecret(browser), kind: { in: [...kinds] }, expiresAt: { gt: deps.tickets.clock.now() } },
    orderBy: { createdAt: "desc" },
    select: BINDING,
  });
}

/** Where a browser's request stands, for the asking tab's page (polled while it waits). */
export type RequestState = "waiting" | "approved" | "done" | "none";

export async function requestState(deps: BindingDeps, binding: Binding | null): Promise<RequestState> {
  if (!binding) return "none";
  if (!binding.ticketId) return "waiting";
  const ticket = await deps.tickets.get(binding.ticketId);
  if (!ticket || ticket.ticket.status !== "open") return "done";
  return binding.approvedAt ? "approved" : "waiting";
}

/** This browser's request approved from another device and not used yet: the asking tab may continue with it. */
export async function approvedRequest(deps: BindingDeps, browser: string | undefined): Promise<(Binding & { ticketId: string }) | null> {
  const latest = await deps.db.ticketBinding.findFirst({
    where: { browserHash: browser ? hashSecret(browser) : "-", approvedAt: { not: null }, ticketId: { not: null }, expiresAt: { gt: deps.tickets.clock.now() } },
    orderBy: { approvedAt: "desc" },
    select: BINDING,
  });
  return latest?.ticketId ? { ...latest, ticketId: latest.ticketId } : null;
}

export type CodeCheck =
  | { status: "redeemed"; result: RedeemResult }
  /** attemptsLeft 0: this guess spent the last attempt. */
  | { status: "wrong"; attemptsLeft: number }
  | { status: "exhausted" }
  | { status: "no-request" };

/**
 * Checks a code typed in the browser `browser` against its newest sign-in
 * request and, when right, uses its ticket. Attempts are spent before they
 * are checked (docs/design.md): every guess first takes one attempt in a
 * single conditional write and is compared only if that succeeded. A right
 * guess then claims the code (clears it), so only one sign-in can follow.
 */
export async function redeemLoginCode(deps: BindingDeps, browser: string, code: string, actor: Actor): Promise<CodeCheck> {
  const browserHash = hashSecret(browser);
  const now = deps.tickets.clock.now();
  const pending = await deps.db.ticketBinding.findFirst({ where: { browserHash, kind: "login", codeHash: { not: null } }, orderBy: { createdAt: "desc" }, select: { id: true, expiresAt: true } });
  if (!pending || pending.expiresAt.getTime() <= now.getTime()) return { status: "no-request" };
  const [spent] = await deps.db.ticketBinding.updateManyAndReturn({
    where: { id: pending.id, codeHash: { not: null }, codeAttemptsLeft: { gt: 0 }, expiresAt: { gt: now } },
    data: { codeAttemptsLeft: { decrement: 1 } },
    select: { id: true, ticketId: true, codeHash: true, codeAttemptsLeft: true },
  });
  if (!spent) return { status: "exhausted" };
  if (spent.ticketId === null || !spent.codeHash || !sameHash(spent.codeHash, codeHash(deps.config.AUTH_SECRET, browserHash, code))) return { status: "wrong", attemptsLeft: spent.codeAttemptsLeft };
  // Of two parallel right guesses, only the one that clears the code goes on.
  const { count } = await deps.db.ticketBinding.updateMany({ where: { id: spent.id, codeHash: { not: null } }, data: { codeHash: null, codeAttemptsLeft: 0 } });
  if (count !== 1) return { status: "no-request" };
  const result = await deps.tickets.redeemById(spent.ticketId, { actor, types: ["login"], domain: deps.config.TICKET_DOMAIN });
  return { status: "redeemed", result };
}

export type UndoCodeCheck = { status: "right" } | { status: "wrong"; attemptsLeft: number } | { status: "locked" };

/** The code printed in an unbound ticket's mail (the e-mail change undo link), typed: spent before it is compared. */
export async function checkTicketCode(deps: BindingDeps, ticketId: string, code: string): Promise<UndoCodeCheck> {
  const now = deps.tickets.clock.now();
  const [spent] = await deps.db.ticketBinding.updateManyAndReturn({
    // Only a ticket bound to no browser: a bound ticket's code is its asker's, typed there, and not to be spent from here.
    where: { ticketId, browserHash: null, codeHash: { not: null }, codeAttemptsLeft: { gt: 0 }, expiresAt: { gt: now } },
    data: { codeAttemptsLeft: { decrement: 1 } },
    select: { codeHash: true, codeAttemptsLeft: true },
  });
  if (!spent?.codeHash) return { status: "locked" };
  const typed = code.replace(/[\s-]/g, "").toUpperCase();
  return sameHash(spent.codeHash, codeHash(deps.config.AUTH_SECRET, ticketId, typed)) ? { status: "right" } : { status: "wrong", attemptsLeft: spent.codeAttemptsLeft };
}

/** After a ticket was used: its code stops working too, in every browser. */
export async function retireBinding(deps: BindingDeps, ticketId: string): Promise<void> {
  await deps.db.ticketBinding.updateMany({ where: { ticketId }, data: { codeHash: null, codeAttemptsLeft: 0, approvalAttemptsLeft: 0 } });
}
