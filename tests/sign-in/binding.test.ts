// Tickets bound to the browser that asked (lib/sign-in/binding.ts) on real
// databases: who may press, the 4-digit number another device types, the
// typed sign-in and undo codes, and their budgets under parallel guesses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { sealForOutbox } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { hashSecret, newSecret } from "@/lib/secrets";
import {
  APPROVAL_ATTEMPTS,
  type BindingDeps,
  CODE_ATTEMPTS,
  type CodeCheck,
  type NumberOutcome,
  type UndoCodeCheck,
  approvalNumber,
  approvedRequest,
  bindTicket,
  checkTicketCode,
  latestRequest,
  redeemLoginCode,
  relationTo,
  requestState,
  retireBinding,
  tryApprovalNumber,
} from "@/lib/sign-in/binding";
import { type LoginLinkDeps, issueLoginLink } from "@/lib/sign-in/link";
import { type Actor, createActionPathRegistry, createTicketService } from "@/lib/tickets";
import { type TestClock, createTestClock } from "@/lib/tickets/test-clock";

import { type TestDatabase, createTestDatabase, engines } from "@/tests/support/databases";

const SECRET = "test-secret-test-secret-test-secret-!!";
const DOMAIN = "auth.example.com";
const TTL_MINUTES = 15;
const asker: Actor = { ip: "192.0.2.5", userAgent: "the asking browser" };
const other: Actor = { ip: "198.51.100.9", userAgent: "a mail scanner" };
const actionPaths = createActionPathRegistry(["account"]);

/** `n` numbers of the same shape as `right`, none of them it. */
function wrongOnes(right: string, n: number): string[] {
  const space = 10 ** right.length;
  return Array.from({ length: n }, (_, i) => String((Number(right) + 1 + i) % space).padStart(right.length, "0"));
}

describe.each(engines)("tickets bound to the asking browser on %s", (engine) => {
  let t: TestDatabase;
  let store: OpenedTicketStore;
  let clock: TestClock;
  let deps: BindingDeps;
  let linkDeps: LoginLinkDeps;
  let seq = 0;

  beforeAll(async () => {
    // Enough connections that every guess of a round really runs at once on PostgreSQL.
    t = await createTestDatabase(engine, { poolSize: 24 });
    store = openTicketStore(t.url, t.db, { schema: t.schema });
    clock = createTestClock(new Date());
    const tickets = createTicketService({ store: store.store, actionPaths, defaultDomain: DOMAIN, clock });
    deps = { db: t.db, tickets, config: { AUTH_SECRET: SECRET, TICKET_DOMAIN: DOMAIN } };
    linkDeps = {
      db: t.db,
      tickets,
      actionPaths,
      sealMail: (mail) => sealForOutbox(SECRET, mail),
      mailQueued: () => {},
      config: { APP_URL: `https://${DOMAIN}`, SIGNUP: "open", LOGIN_TICKET_TTL_MINUTES: TTL_MINUTES },
    };
  });
  afterAll(async () => {
    await store?.close();
    await t?.drop();
  });

  /** A sign-in request from one browser, bound to it as sign-in.server.ts does: its cookie, the mailed code, the mailed link's ticket. */
  async function request() {
    const email = `bound-${Date.now()}-${++seq}@example.com`;
    const issued = await issueLoginLink(linkDeps, email, null, asker);
    const browser = newSecret();
    const expiresAt = new Date(clock.now().getTime() + TTL_MINUTES * 60_000);
    const binding = await bindTicket(deps, { ticketId: issued.ticketId, kind: "login", browser, code: issued.code, expiresAt });
    const mail = openMail(SECRET, (await t.db.mailMessage.findFirstOrThrow({ where: { recipient: email } })).sealed);
    const ticket = /https:\/\/auth\.example\.com\/ticket\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    return { browser, code: issued.code, ticketId: issued.ticketId!, ticket, binding, number: approvalNumber(SECRET, binding) };
  }

  async function ticketRow(id: string) {
    return t.db.ticket.findUniqueOrThrow({ where: { id }, select: { state: true, usesLeft: true } });
  }

  async function events(ticketId: string, kind: string) {
    return t.db.ticketEvent.count({ where: { ticketId, kind } });
  }

  describe("relationTo", () => {
    it('rule "Mail scanners click": the browser that asked is the asker; any other browser, or one with no cookie, is elsewhere', async () => {
      const r = await request();
      expect((await relationTo(deps, r.ticketId, r.browser)).relation).toBe("asker");
      expect((await relationTo(deps, r.ticketId, newSecret())).relation).toBe("elsewhere");
      expect((await relationTo(deps, r.ticketId, undefined)).relation).toBe("elsewhere");
      // The cookie's hash is not the cookie: knowing what is stored does not make a browser the asker.
      expect((await relationTo(deps, r.ticketId, hashSecret(r.browser))).relation).toBe("elsewhere");
    });

    it("a ticket with no binding row (issued before bindings), or bound to no browser (the undo link), is unbound for every browser", async () => {
      const legacy = await deps.tickets.issue({ type: "login", email: "legacy@example.com", ttlSeconds: 900, uses: 1 });
      if (!legacy.ok) throw new Error(legacy.error.message);
      expect(await relationTo(deps, legacy.value.record.id, newSecret())).toEqual({ relation: "unbound", binding: null });
      expect((await relationTo(deps, legacy.value.record.id, undefined)).relation).toBe("unbound");

      const undo = await deps.tickets.issue({ type: "email_change_old", email: "old@example.com", ttlSeconds: 86_400, uses: 1 });
      if (!undo.ok) throw new Error(undo.error.message);
      await bindTicket(deps, { ticketId: undo.value.record.id, kind: "email_change_old", browser: null, code: "K7PDM3QX", expiresAt: undo.value.record.expiresAt! });
      const seen = await relationTo(deps, undo.value.record.id, newSecret());
      expect(seen.relation).toBe("unbound");
      expect(seen.binding).toMatchObject({ browserHash: null, ticketId: undo.value.record.id });
    });
  });

  describe("approvalNumber", () => {
    const hashA = hashSecret("browser A");
    const hashB = hashSecret("browser B");

    it("is 4 digits, the same every time for one binding, and differs between bindings, browsers and secrets", () => {
      const binding = { id: "binding-1", browserHash: hashA };
      const number = approvalNumber(SECRET, binding);
      expect(number).toMatch(/^\d{4}$/);
      expect(approvalNumber(SECRET, { ...binding })).toBe(number);
      expect(approvalNumber(SECRET, { id: "binding-2", browserHash: hashA })).not.toBe(number);
      expect(approvalNumber(SECRET, { id: "binding-1", browserHash: hashB })).not.toBe(number);
      expect(approvalNumber(`${SECRET}?`, binding)).not.toBe(number);
      // Spread over the whole range: a guesser has nothing better than 1 in 10,000 per try.
      const numbers = Array.from({ length: 1000 }, (_, i) => approvalNumber(SECRET, { id: `binding-${i}`, browserHash: hashA }));
      expect(numbers.every((n) => /^\d{4}$/.test(n))).toBe(true);
      expect(new Set(numbers).size).toBeGreaterThan(900);
    });

    it("another browser cannot compute it: its own hash, or none, gives other numbers", async () => {
      const r = await request();
      // Read back from the database, the binding gives the number the asking tab showed.
      const stored = await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } });
      expect(approvalNumber(SECRET, stored)).toBe(r.number);
      // What another browser could put in: the binding's id (not even shown) with its own cookie's hash, or no hash.
      const guesses = [...Array.from({ length: 50 }, () => hashSecret(newSecret())), null].map((browserHash) => approvalNumber(SECRET, { id: r.binding.id, browserHash }));
      expect(guesses.filter((n) => n === r.number).length).toBeLessThanOrEqual(1);
    });
  });

  describe("tryApprovalNumber", () => {
    it('rule "Attempts are spent before they are checked": wrong numbers spend tries and are recorded; after 3 even the right one is locked', async () => {
      const r = await request();
      const browser = newSecret();
      const wrong = wrongOnes(r.number, APPROVAL_ATTEMPTS);
      const answers: NumberOutcome[] = [];
      for (const n of wrong) answers.push(await tryApprovalNumber(deps, r.ticketId, n, "approve", browser, other));
      expect(answers).toEqual([
        { status: "wrong", attemptsLeft: 2 },
        { status: "wrong", attemptsLeft: 1 },
        { status: "wrong", attemptsLeft: 0 },
      ]);
      expect(await events(r.ticketId, "wrong_number")).toBe(APPROVAL_ATTEMPTS);
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "approve", browser, other)).toEqual({ status: "locked" });
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "here", browser, other)).toEqual({ status: "locked" });
      expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).toMatchObject({ approvalAttemptsLeft: 0, approvedAt: null, browserHash: hashSecret(r.browser) });
      expect(await events(r.ticketId, "approved")).toBe(0);
      // Locked for other devices only: the asking browser's press and its code still work.
      expect((await relationTo(deps, r.ticketId, r.browser)).relation).toBe("asker");
      const signIn = await redeemLoginCode(deps, r.browser, r.code, asker);
      expect(signIn.status === "redeemed" && signIn.result.result).toBe("success");
    });

    it('rule "Attempts are spent before they are checked": many wrong numbers and the right one at once never get more than 3 compared', async () => {
      for (let round = 0; round < 10; round++) {
        const r = await request();
        const guesses = [...wrongOnes(r.number, 4 * APPROVAL_ATTEMPTS), r.number];
        // Each guess from a browser of its own, as a scanner farm would send them.
        const outcomes = await Promise.all(guesses.map((n, i) => tryApprovalNumber(deps, r.ticketId, n, i % 2 ? "approve" : "here", newSecret(), other)));
        const wrong = outcomes.filter((o) => o.status === "wrong").length;
        const successes = outcomes.filter((o) => o.status === "approved" || o.status === "moved").length;
        expect(successes, `round ${round}`).toBeLessThanOrEqual(1);
        expect(wrong + successes, `round ${round}: ${wrong} wrong and ${successes} right`).toBeLessThanOrEqual(APPROVAL_ATTEMPTS);
        expect(await events(r.ticketId, "wrong_number"), `round ${round}`).toBe(wrong);
        expect((await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).approvalAttemptsLeft, `round ${round}`).toBe(APPROVAL_ATTEMPTS - wrong - successes);
        expect(await ticketRow(r.ticketId), `round ${round}`).toEqual({ state: "open", usesLeft: 1 });
      }
    });

    it('rule "Mail scanners click": "approve" lets the asking tab go on and spends nothing of the ticket; the approving browser gets nothing', async () => {
      const r = await request();
      const phone = newSecret();
      expect(await tryApprovalNumber(deps, r.ticketId, ` ${r.number} `, "approve", phone, other)).toEqual({ status: "approved" });
      const stored = await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } });
      expect(stored).toMatchObject({ browserHash: hashSecret(r.browser), approvalAttemptsLeft: APPROVAL_ATTEMPTS - 1, approvedIp: other.ip, approvedUa: other.userAgent });
      expect(stored.approvedAt?.getTime()).toBe(clock.now().getTime());
      expect(await t.db.ticketEvent.findMany({ where: { ticketId: r.ticketId, kind: "approved" }, select: { ip: true, detail: true } })).toEqual([{ ip: other.ip, detail: "the asking device may continue" }]);
      expect(await ticketRow(r.ticketId)).toEqual({ state: "open", usesLeft: 1 });
      // The phone is still elsewhere and has no approved request of its own; the asking browser has.
      expect((await relationTo(deps, r.ticketId, phone)).relation).toBe("elsewhere");
      expect(await approvedRequest(deps, phone)).toBeNull();
      expect((await approvedRequest(deps, r.browser))?.ticketId).toBe(r.ticketId);
    });

    it('"here" moves the binding: the browser that typed the number becomes the asker, the one that asked is elsewhere', async () => {
      const r = await request();
      const phone = newSecret();
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "here", phone, other)).toEqual({ status: "moved" });
      expect((await relationTo(deps, r.ticketId, phone)).relation).toBe("asker");
      expect((await relationTo(deps, r.ticketId, r.browser)).relation).toBe("elsewhere");
      expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).toMatchObject({ browserHash: hashSecret(phone), approvedAt: null });
      expect(await t.db.ticketEvent.findMany({ where: { ticketId: r.ticketId, kind: "approved" }, select: { detail: true } })).toEqual([{ detail: "continued on this device instead" }]);
      expect(await ticketRow(r.ticketId)).toEqual({ state: "open", usesLeft: 1 });
      // The old asking tab's number is gone with it: the binding's number now comes from the phone's hash.
      expect(await latestRequest(deps, r.browser, ["login"])).toBeNull();
    });

    it("a ticket bound to no browser has no number to match: locked, nothing spent", async () => {
      const legacy = await deps.tickets.issue({ type: "login", email: "legacy-number@example.com", ttlSeconds: 900, uses: 1 });
      if (!legacy.ok) throw new Error(legacy.error.message);
      expect(await tryApprovalNumber(deps, legacy.value.record.id, "1234", "here", newSecret(), other)).toEqual({ status: "locked" });
      const undo = await deps.tickets.issue({ type: "email_change_old", email: "old-number@example.com", ttlSeconds: 86_400, uses: 1 });
      if (!undo.ok) throw new Error(undo.error.message);
      const binding = await bindTicket(deps, { ticketId: undo.value.record.id, kind: "email_change_old", browser: null, code: "K7PDM3QX", expiresAt: undo.value.record.expiresAt! });
      expect(await tryApprovalNumber(deps, undo.value.record.id, approvalNumber(SECRET, binding), "here", newSecret(), other)).toEqual({ status: "locked" });
      expect((await t.db.ticketBinding.findUniqueOrThrow({ where: { id: binding.id } })).approvalAttemptsLeft).toBe(APPROVAL_ATTEMPTS);
    });

    it("an expired binding is locked, even for the right number, and spends nothing (injected clock)", async () => {
      const r = await request();
      clock.advance(TTL_MINUTES * 60_000);
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "approve", newSecret(), other)).toEqual({ status: "locked" });
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "here", newSecret(), other)).toEqual({ status: "locked" });
      expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).toMatchObject({ approvalAttemptsLeft: APPROVAL_ATTEMPTS, approvedAt: null, browserHash: hashSecret(r.browser) });
      expect(await latestRequest(deps, r.browser, ["login"])).toBeNull();
    });
  });

  describe("approvedRequest and requestState", () => {
    it("the asking tab sees waiting, then approved once another device typed its number, then done once it used the ticket", async () => {
      const r = await request();
      const state = async () => requestState(deps, await latestRequest(deps, r.browser, ["login"]));
      expect(await state()).toBe("waiting");
      expect(await approvedRequest(deps, r.browser)).toBeNull();
      // Only its own kinds: a tab waiting for a reset does not see a sign-in request.
      expect(await latestRequest(deps, r.browser, ["password_reset"])).toBeNull();

      expect((await tryApprovalNumber(deps, r.ticketId, r.number, "approve", newSecret(), other)).status).toBe("approved");
      expect(await state()).toBe("approved");
      const approved = await approvedRequest(deps, r.browser);
      expect(approved).toMatchObject({ id: r.binding.id, ticketId: r.ticketId });

      // The asking tab goes on with it by id (/continue), as the glue does.
      expect((await deps.tickets.redeemRef({ id: approved!.ticketId }, { actor: asker, types: ["login"] })).result).toBe("success");
      expect(await state()).toBe("done");
      expect(await requestState(deps, null)).toBe("none");
    });

    it("a request that sent no mail waits for ever, and no device can approve it (the pages look the same)", async () => {
      const browser = newSecret();
      const binding = await bindTicket(deps, { ticketId: null, kind: "login", browser, code: "123456", expiresAt: new Date(clock.now().getTime() + 60_000) });
      expect(await requestState(deps, await latestRequest(deps, browser, ["login"]))).toBe("waiting");
      expect(await approvedRequest(deps, browser)).toBeNull();
      // Its code can never sign in, and says so as any wrong code does.
      expect(await redeemLoginCode(deps, browser, "123456", asker)).toEqual({ status: "wrong", attemptsLeft: CODE_ATTEMPTS - 1 });
      expect(binding.ticketId).toBeNull();
    });

    it("an approval ends with its binding (injected clock)", async () => {
      const r = await request();
      expect((await tryApprovalNumber(deps, r.ticketId, r.number, "approve", newSecret(), other)).status).toBe("approved");
      clock.advance(TTL_MINUTES * 60_000);
      expect(await approvedRequest(deps, r.browser)).toBeNull();
    });
  });

  describe("redeemLoginCode", () => {
    it('rule "Attempts are spent before they are checked": many wrong codes and the right one at once never exceed the budget', async () => {
      // One at a time: the last attempt still signs in; once all are spent, the right code does not.
      const patient = await request();
      for (const guess of wrongOnes(patient.code, CODE_ATTEMPTS - 1)) expect((await redeemLoginCode(deps, patient.browser, guess, asker)).status).toBe("wrong");
      const last = await redeemLoginCode(deps, patient.browser, patient.code, asker);
      expect(last.status === "redeemed" && last.result.result).toBe("success");
      const spent = await request();
      for (const guess of wrongOnes(spent.code, CODE_ATTEMPTS)) expect((await redeemLoginCode(deps, spent.browser, guess, asker)).status).toBe("wrong");
      expect(await redeemLoginCode(deps, spent.browser, spent.code, asker)).toEqual({ status: "exhausted" });

      // All at once, ten times over.
      for (let round = 0; round < 10; round++) {
        const { browser, code } = await request();
        const guesses = [...wrongOnes(code, 2 * CODE_ATTEMPTS), code];
        const outcomes: CodeCheck[] = await Promise.all(guesses.map((guess) => redeemLoginCode(deps, browser, guess, asker)));
        // A "wrong" answer is a guess that was compared and counted; a sign-in is a used ticket.
        const wrong = outcomes.filter((o) => o.status === "wrong").length;
        const signedIn = outcomes.filter((o) => o.status === "redeemed" && o.result.result === "success").length;
        expect(signedIn, `round ${round}`).toBeLessThanOrEqual(1);
        expect(wrong + signedIn, `round ${round}: ${wrong} wrong answers and ${signedIn} sign-ins`).toBeLessThanOrEqual(CODE_ATTEMPTS);
        // The right code, typed again afterwards, never signs in a second time.
        expect((await redeemLoginCode(deps, browser, code, asker)).status).not.toBe("redeemed");
      }
    });

    it('rule "Consumption is one conditional write": parallel right codes sign in once', async () => {
      const r = await request();
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => redeemLoginCode(deps, r.browser, r.code, asker)));
      expect(outcomes.filter((o) => o.status === "redeemed" && o.result.result === "success")).toHaveLength(1);
      expect(await ticketRow(r.ticketId)).toEqual({ state: "closed", usesLeft: 0 });
      // The sign-in claimed the code: typed again it finds no request, rather than spending tries on a used ticket.
      expect((await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).codeHash).toBeNull();
      expect(await redeemLoginCode(deps, r.browser, r.code, asker)).toEqual({ status: "no-request" });
    });

    it("the code works only in the browser that asked", async () => {
      const r = await request();
      expect(await redeemLoginCode(deps, newSecret(), r.code, other)).toEqual({ status: "no-request" });
      expect(await ticketRow(r.ticketId)).toEqual({ state: "open", usesLeft: 1 });
    });

    it("after a sign-in by link, the code of the same request is gone and no longer signs in", async () => {
      const r = await request();
      expect((await deps.tickets.redeem(r.ticket, { actor: asker })).result).toBe("success");
      // Even before the glue retires it, the code cannot use the ticket a second time.
      const before = await redeemLoginCode(deps, r.browser, r.code, asker);
      expect(before.status === "redeemed" && before.result.result).toBe("closed");
      await retireBinding(deps, r.ticketId);
      expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).toMatchObject({ codeHash: null, codeAttemptsLeft: 0, approvalAttemptsLeft: 0 });
      expect(await redeemLoginCode(deps, r.browser, r.code, asker)).toEqual({ status: "no-request" });
      expect(await tryApprovalNumber(deps, r.ticketId, r.number, "approve", newSecret(), other)).toEqual({ status: "locked" });
    });

    it('a binding moved "here" takes the code with it: it works in neither browser, and the new asker uses the link', async () => {
      const r = await request();
      const phone = newSecret();
      expect((await tryApprovalNumber(deps, r.ticketId, r.number, "here", phone, other)).status).toBe("moved");
      expect(await redeemLoginCode(deps, r.browser, r.code, asker)).toEqual({ status: "no-request" });
      expect(await redeemLoginCode(deps, phone, r.code, other)).toEqual({ status: "no-request" });
      expect(await ticketRow(r.ticketId)).toEqual({ state: "open", usesLeft: 1 });
      expect((await relationTo(deps, r.ticketId, phone)).relation).toBe("asker");
      expect((await deps.tickets.redeem(r.ticket, { actor: other })).result).toBe("success");
    });

    it("an expired request's code says there is no request (injected clock)", async () => {
      const r = await request();
      clock.advance(TTL_MINUTES * 60_000);
      expect(await redeemLoginCode(deps, r.browser, r.code, asker)).toEqual({ status: "no-request" });
    });
  });

  describe("checkTicketCode (the e-mail change undo code)", () => {
    async function undoTicket(code = "K7PDM3QX") {
      const undo = await deps.tickets.issue({ type: "email_change_old", email: `old-${++seq}@example.com`, ttlSeconds: 3 * 86_400, uses: 1 });
      if (!undo.ok) throw new Error(undo.error.message);
      const binding = await bindTicket(deps, { ticketId: undo.value.record.id, kind: "email_change_old", browser: null, code, expiresAt: undo.value.record.expiresAt! });
      return { ticketId: undo.value.record.id, binding, code };
    }

    it("the right code, as people type it, is right; a wrong one spends a try; after CODE_ATTEMPTS even the right one is locked", async () => {
      const u = await undoTicket();
      expect(await checkTicketCode(deps, u.ticketId, "k7pd-m3qx")).toEqual({ status: "right" });
      expect(await checkTicketCode(deps, u.ticketId, " K7PD M3QX ")).toEqual({ status: "right" });
      const wrong: UndoCodeCheck[] = [];
      for (let i = 0; i < CODE_ATTEMPTS - 2; i++) wrong.push(await checkTicketCode(deps, u.ticketId, "K7PDM3QY"));
      expect(wrong.map((w) => w.status)).toEqual(Array.from({ length: CODE_ATTEMPTS - 2 }, () => "wrong"));
      expect(wrong.at(-1)).toEqual({ status: "wrong", attemptsLeft: 0 });
      expect(await checkTicketCode(deps, u.ticketId, u.code)).toEqual({ status: "locked" });
      // Checking a code spends nothing of the ticket: the cancel that follows a right code does.
      expect(await ticketRow(u.ticketId)).toEqual({ state: "open", usesLeft: 1 });
    });

    it('rule "Attempts are spent before they are checked": many wrong codes and the right one at once never get more than CODE_ATTEMPTS compared', async () => {
      for (let round = 0; round < 10; round++) {
        const u = await undoTicket();
        const guesses = [...Array.from({ length: 2 * CODE_ATTEMPTS }, (_, i) => `K7PDM3${"ABCDEFGHJK"[i % 10]}${i < 10 ? "2" : "3"}`), u.code];
        const outcomes = await Promise.all(guesses.map((g) => checkTicketCode(deps, u.ticketId, g)));
        const wrong = outcomes.filter((o) => o.status === "wrong").length;
        const right = outcomes.filter((o) => o.status === "right").length;
        expect(right, `round ${round}`).toBeLessThanOrEqual(1);
        expect(wrong + right, `round ${round}: ${wrong} wrong and ${right} right`).toBeLessThanOrEqual(CODE_ATTEMPTS);
        expect(await checkTicketCode(deps, u.ticketId, u.code), `round ${round}`).toEqual({ status: "locked" });
      }
    });

    it("a ticket bound to a browser has no undo code: trying one there spends none of the asker's sign-in code", async () => {
      const r = await request();
      for (const guess of [r.code, "K7PDM3QX", "", r.number]) expect(await checkTicketCode(deps, r.ticketId, guess)).toEqual({ status: "locked" });
      expect((await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).codeAttemptsLeft).toBe(CODE_ATTEMPTS);
    });

    it("an expired undo code is locked (injected clock)", async () => {
      const u = await undoTicket();
      clock.advance(3 * 86_400_000);
      expect(await checkTicketCode(deps, u.ticketId, u.code)).toEqual({ status: "locked" });
    });
  });

  it('rule "Mail scanners click": another browser calling everything it can leaves the ticket open and unspent, and the asker still uses it', async () => {
    for (const finish of ["code", "press"] as const) {
      const r = await request();
      const scanner = newSecret();
      const tries = async () => {
        // Everything that takes a ticket or a browser, from the scanner's side, a few rounds over and all at once.
        const wrongNumbers = wrongOnes(r.number, 2);
        return Promise.all([
          relationTo(deps, r.ticketId, scanner),
          ...wrongNumbers.flatMap((n) => [tryApprovalNumber(deps, r.ticketId, n, "approve", scanner, other), tryApprovalNumber(deps, r.ticketId, n, "here", scanner, other)]),
          redeemLoginCode(deps, scanner, r.code, other),
          redeemLoginCode(deps, scanner, wrongOnes(r.code, 1)[0]!, other),
          checkTicketCode(deps, r.ticketId, r.code),
          checkTicketCode(deps, r.ticketId, "K7PDM3QX"),
          latestRequest(deps, scanner, ["login"]),
          approvedRequest(deps, scanner),
          requestState(deps, await latestRequest(deps, scanner, ["login"])),
        ]);
      };
      for (let round = 0; round < 3; round++) await tries();

      expect(await ticketRow(r.ticketId)).toEqual({ state: "open", usesLeft: 1 });
      expect(await events(r.ticketId, "approved")).toBe(0);
      expect(await events(r.ticketId, "wrong_number")).toBe(APPROVAL_ATTEMPTS);
      // The number path is locked; the binding is still the asker's, with its code's tries untouched.
      expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { id: r.binding.id } })).toMatchObject({ browserHash: hashSecret(r.browser), approvedAt: null, approvalAttemptsLeft: 0, codeAttemptsLeft: CODE_ATTEMPTS });
      expect((await relationTo(deps, r.ticketId, scanner)).relation).toBe("elsewhere");
      expect(await approvedRequest(deps, scanner)).toBeNull();
      expect(await requestState(deps, await latestRequest(deps, r.browser, ["login"]))).toBe("waiting");

      // The person's own browser.
      expect((await relationTo(deps, r.ticketId, r.browser)).relation).toBe("asker");
      if (finish === "code") {
        const signIn = await redeemLoginCode(deps, r.browser, r.code, asker);
        expect(signIn.status === "redeemed" && signIn.result.result, finish).toBe("success");
      } else {
        expect((await deps.tickets.redeem(r.ticket, { actor: asker })).result, finish).toBe("success");
      }
    }
  });
});
