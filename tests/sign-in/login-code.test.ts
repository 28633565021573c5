// The typed sign-in code on a real database: its attempt budget under
// parallel guesses, and that it dies with its request once the link is used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type LoginLinkDeps, issueLoginLink } from "@/lib/sign-in/link";
import { CODE_ATTEMPTS, type CodeCheck, type LoginCodeDeps, bindLoginCode, redeemLoginCode, redeemLoginLink } from "@/lib/sign-in/code";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { sealForOutbox } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { type Actor, createActionPathRegistry, createTicketService } from "@/lib/tickets";
import { createTestClock } from "@/lib/tickets/test-clock";

import { type TestDatabase, createTestDatabase, engines } from "@/tests/support/databases";

const SECRET = "test-secret-test-secret-test-secret-!!";
const DOMAIN = "auth.example.com";
const actor: Actor = { ip: "192.0.2.5", userAgent: "vitest" };
const actionPaths = createActionPathRegistry(["account"]);

describe.each(engines)("the typed sign-in code on %s", (engine) => {
  let t: TestDatabase;
  let store: OpenedTicketStore;
  let deps: LoginCodeDeps;
  let linkDeps: LoginLinkDeps;
  let seq = 0;

  beforeAll(async () => {
    // Enough connections that every guess of a round really runs at once on PostgreSQL.
    t = await createTestDatabase(engine, { poolSize: 24 });
    store = openTicketStore(t.url, t.db);
    const tickets = createTicketService({ store: store.store, actionPaths, defaultDomain: DOMAIN, clock: createTestClock(new Date()) });
    deps = { db: t.db, tickets, config: { AUTH_SECRET: SECRET, TICKET_DOMAIN: DOMAIN, LOGIN_TICKET_TTL_MINUTES: 15 } };
    linkDeps = {
      db: t.db,
      tickets,
      actionPaths,
      sealMail: (mail) => sealForOutbox(SECRET, mail),
      mailQueued: () => {},
      config: { APP_URL: `https://${DOMAIN}`, SIGNUP: "open", LOGIN_TICKET_TTL_MINUTES: 15 },
    };
  });
  afterAll(async () => {
    store?.close();
    await t?.drop();
  });

  /** A sign-in request from one browser: its cookie value, the mailed code and the mailed link's ticket. */
  async function request(): Promise<{ browser: string; code: string; ticketId: string; ticket: string }> {
    const email = `code-${Date.now()}-${++seq}@example.com`;
    const issued = await issueLoginLink(linkDeps, email, null, actor);
    const { browser } = await bindLoginCode(deps, issued.ticketId, issued.code, undefined);
    const mail = openMail(SECRET, (await t.db.mailMessage.findFirstOrThrow({ where: { recipient: email } })).sealed);
    const ticket = /https:\/\/auth\.example\.com\/ticket\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    return { browser, code: issued.code, ticketId: issued.ticketId!, ticket };
  }

  const wrongCodes = (right: string, n: number) => Array.from({ length: n }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0"));

  it('rule "Attempts are spent before they are checked": many wrong codes and the right one at once never exceed the budget', async () => {
    // One at a time: the last attempt still signs in; once all are spent, the right code does not.
    const patient = await request();
    for (const guess of wrongCodes(patient.code, CODE_ATTEMPTS - 1)) expect((await redeemLoginCode(deps, patient.browser, guess, actor)).status).toBe("wrong");
    const last = await redeemLoginCode(deps, patient.browser, patient.code, actor);
    expect(last.status === "redeemed" && last.result.result).toBe("success");
    const spent = await request();
    for (const guess of wrongCodes(spent.code, CODE_ATTEMPTS)) expect((await redeemLoginCode(deps, spent.browser, guess, actor)).status).toBe("wrong");
    expect(await redeemLoginCode(deps, spent.browser, spent.code, actor)).toEqual({ status: "exhausted" });

    // All at once, ten times over.
    for (let round = 0; round < 10; round++) {
      const { browser, code } = await request();
      const guesses = [...wrongCodes(code, 2 * CODE_ATTEMPTS), code];
      const outcomes: CodeCheck[] = await Promise.all(guesses.map((guess) => redeemLoginCode(deps, browser, guess, actor)));
      // A "wrong" answer is a guess that was compared and counted; a sign-in is a used ticket.
      const wrong = outcomes.filter((o) => o.status === "wrong").length;
      const signedIn = outcomes.filter((o) => o.status === "redeemed" && o.result.result === "success").length;
      expect(signedIn, `round ${round}`).toBeLessThanOrEqual(1);
      expect(wrong + signedIn, `round ${round}: ${wrong} wrong answers and ${signedIn} sign-ins`).toBeLessThanOrEqual(CODE_ATTEMPTS);
      // The right code, typed again afterwards, never signs in a second time.
      expect((await redeemLoginCode(deps, browser, code, actor)).status).not.toBe("redeemed");
    }
  });

  it("after a sign-in by link, the code of the same request is gone and no longer signs in", async () => {
    const { browser, code, ticketId, ticket } = await request();
    // A link that matches no ticket spends nothing, so it retires nothing.
    expect((await redeemLoginLink(deps, `${ticket.slice(0, -1)}${ticket.endsWith("A") ? "B" : "A"}`, actor, browser)).result).toBe("error");
    expect(await t.db.loginCode.count({ where: { ticketId } })).toBe(1);
    expect((await redeemLoginLink(deps, ticket, actor, browser)).result).toBe("success");
    expect(await t.db.loginCode.count({ where: { ticketId } })).toBe(0);
    expect(await redeemLoginCode(deps, browser, code, actor)).toEqual({ status: "no-request" });
  });

  it("a link opened in another browser retires the code in the browser that asked, and that other browser's pending code", async () => {
    const asked = await request();
    const other = await request();
    expect((await redeemLoginLink(deps, asked.ticket, actor, other.browser)).result).toBe("success");
    expect(await t.db.loginCode.count({ where: { ticketId: { in: [asked.ticketId, other.ticketId] } } })).toBe(0);
    expect(await redeemLoginCode(deps, asked.browser, asked.code, actor)).toEqual({ status: "no-request" });
  });
});
