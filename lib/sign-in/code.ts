// The typed sign-in code against the database: binding a code to the browser
// that asked, checking a typed code, and retiring it once its request is
// used. No Next.js here — the cookie stays in lib/sign-in/sign-in.server.ts — so this
// runs in integration tests on a real database.
import { createHmac } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { hashSecret, newSecret, sameHash } from "@/lib/secrets";
import type { Actor, RedeemForResult, RedeemResult, TicketService } from "@/lib/tickets";
import { ttlSeconds } from "@/lib/tickets/kinds";

/** Wrong codes allowed per request before the code stops working (the link still does). */
export const CODE_ATTEMPTS = 5;

export interface LoginCodeDeps {
  db: Db;
  tickets: TicketService;
  config: { AUTH_SECRET: string; TICKET_DOMAIN: string; LOGIN_TICKET_TTL_MINUTES: number };
}

export type CodeCheck =
  | { status: "redeemed"; result: RedeemResult }
  /** attemptsLeft 0: this guess spent the last attempt. */
  | { status: "wrong"; attemptsLeft: number }
  | { status: "exhausted" }
  | { status: "no-request" };

function codeHash(secret: string, browserHash: string, code: string): string {
  return createHmac("sha256", secret).update(`${browserHash}:${code}`).digest("hex");
}

/**
 * Remembers which ticket `code` stands for, for one browser only: returns
 * the random value its cookie must carry. The browser's previous request
 * (`previousBrowser`) is forgotten. Requests that sent no mail get a row too,
 * so the code form behaves the same; no code can ever match it.
 */
export async function bindLoginCode(deps: LoginCodeDeps, ticketId: string | null, code: string, previousBrowser: string | undefined): Promise<{ browser: string; expiresAt: Date }> {
  const browser = newSecret();
  const browserHash = hashSecret(browser);
  // The code lives as long as the link it stands for.
  const expiresAt = new Date(deps.tickets.clock.now().getTime() + ttlSeconds("login", deps.config) * 1000);
  await deps.db.$transaction([
    ...(previousBrowser ? [deps.db.loginCode.deleteMany({ where: { browserHash: hashSecret(previousBrowser) } })] : []),
    deps.db.loginCode.create({
      data: { browserHash, ticketId, codeHash: codeHash(deps.config.AUTH_SECRET, browserHash, code), attemptsLeft: CODE_ATTEMPTS, expiresAt },
    }),
  ]);
  return { browser, expiresAt };
}

/**
 * Checks a typed code against the pending request of the browser whose
 * cookie is `browser` and, when right, uses its ticket.
 *
 * Attempts are spent before they are checked (docs/design.md): every guess,
 * right or wrong, first takes one attempt in a single conditional write and
 * is compared only if that write succeeded, so parallel guesses can never
 * get more comparisons than the budget. A right guess then claims the row by
 * deleting it, so only one sign-in can follow.
 */
export async function redeemLoginCode(deps: LoginCodeDeps, browser: string, code: string, actor: Actor): Promise<CodeCheck> {
  const { db } = deps;
  const browserHash = hashSecret(browser);
  const now = deps.tickets.clock.now();
  const [spent] = await db.loginCode.updateManyAndReturn({
    where: { browserHash, attemptsLeft: { gt: 0 }, expiresAt: { gt: now } },
    data: { attemptsLeft: { decrement: 1 } },
    select: { id: true, ticketId: true, codeHash: true, attemptsLeft: true },
  });
  if (!spent) {
    // Only to choose the message: nothing is compared without a spent attempt.
    const pending = await db.loginCode.findUnique({ where: { browserHash }, select: { expiresAt: true } });
    return pending && pending.expiresAt.getTime() > now.getTime() ? { status: "exhausted" } : { status: "no-request" };
  }

  const given = codeHash(deps.config.AUTH_SECRET, browserHash, code);
  if (spent.ticketId === null || !sameHash(spent.codeHash, given)) return { status: "wrong", attemptsLeft: spent.attemptsLeft };

  // Of two parallel right guesses, only the one whose delete matched goes on.
  const { count } = await db.loginCode.deleteMany({ where: { id: spent.id } });
  if (count !== 1) return { status: "no-request" };
  const result = await deps.tickets.redeemById(spent.ticketId, { actor, types: ["login"], domain: deps.config.TICKET_DOMAIN });
  return { status: "redeemed", result };
}

/**
 * Uses a login ticket from its link (the confirmation page's button). Once
 * it is spent, the typed code of the same request is retired too — in every
 * browser — and so is this browser's pending code (`browser`, its cookie):
 * no row outlives the request it stood for. A ticket of another type (a
 * password reset link posted here) is cancelled and its requester told:
 * the answer is "misused".
 */
export async function redeemLoginLink(deps: LoginCodeDeps, ticket: string, actor: Actor, browser: string | undefined): Promise<RedeemForResult> {
  const result = await deps.tickets.redeemFor(["login"], ticket, { actor, domain: deps.config.TICKET_DOMAIN });
  if (result.result === "success" && result.ticket) {
    await deps.db.loginCode.deleteMany({ where: { OR: [{ ticketId: result.ticket.id }, ...(browser ? [{ browserHash: hashSecret(browser) }] : [])] } });
  }
  return result;
}
