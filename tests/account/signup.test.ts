// New accounts (Bugzilla's issue_new_user_account_token) on real databases:
// the account exists only after the mailed ticket is confirmed with a
// password; repeats are refused politely; existing accounts are not revealed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { verifyPassword } from "@/lib/account/password";
import { confirmSignup, requestSignup } from "@/lib/account/signup";
import { hashTicket } from "@/lib/tickets";

import { type Harness, actor, address, clean, createHarness, ticketIn } from "./harness";
import { engines } from "../support/databases";

const PASSWORD = "my first long password";

describe.each(engines)("new accounts on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => clean(h));

  async function requested(email: string) {
    const outcome = await requestSignup(h.deps, email, actor);
    expect(outcome).toEqual({ status: "sent", ticketId: expect.any(String) });
    const ticket = ticketIn((await h.mails()).filter((m) => m.to === email).at(-1)!);
    // The id the caller binds to the asking browser is the mailed ticket's.
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } })).id).toBe(outcome.status === "sent" && outcome.ticketId);
    return ticket;
  }

  it("mails a confirmation link; no account exists until it is confirmed", async () => {
    const email = address("new");
    const ticket = await requested(email);
    expect(await h.t.db.user.count({ where: { email } })).toBe(0);
    expect(await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } })).toMatchObject({ type: "new_account", email, userId: null, usesLeft: 1 });
    const [mail] = await h.mails();
    expect(mail).toMatchObject({ template: "new-account", subject: "Confirm your new Ticketgate account" });

    const outcome = await confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor);
    expect(outcome.status).toBe("created");
    const user = await h.t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).not.toBeNull();
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
  });

  it("validates the password before spending the ticket", async () => {
    const email = address("typo");
    const ticket = await requested(email);
    expect(await confirmSignup(h.deps, { ticket: ticket }, { password: "short", confirm: "short" }, actor)).toMatchObject({ status: "invalid" });
    expect(await h.t.db.user.count({ where: { email } })).toBe(0);
    expect((await confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)).status).toBe("created");
  });

  it("rule \"Same answer, status and headers for known and unknown addresses\": an existing account gets the same answer, and its owner a notice without a ticket", async () => {
    const email = address("exists");
    await h.t.db.user.create({ data: { email } });
    // No ticket to bind; the page binds this browser all the same and shows only the "sent" text (lib/account/account.server.ts).
    expect(await requestSignup(h.deps, email, actor)).toEqual({ status: "sent", ticketId: null });
    const [mail, ...rest] = await h.mails();
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to: email, template: "account-exists", subject: "You already have a Ticketgate account" });
    expect(mail!.text).not.toMatch(/\/ticket\//);
    expect(await h.t.db.ticket.count({ where: { email } })).toBe(0);
  });

  it("a repeated request for one address within the interval is refused politely, known or not", async () => {
    const fresh = address("repeat");
    const known = address("repeat-known");
    await h.t.db.user.create({ data: { email: known } });
    for (const email of [fresh, known]) {
      expect(await requestSignup(h.deps, email, actor)).toMatchObject({ status: "sent" });
      expect(await requestSignup(h.deps, email, actor)).toMatchObject({ status: "too-soon" });
    }
    expect(await h.mails()).toHaveLength(2);
  });

  it("SIGNUP=closed: no mail, no ticket, and an earlier link no longer creates an account", async () => {
    const early = address("early");
    const ticket = await requested(early);
    h.config.SIGNUP = "closed";
    const email = address("closed");
    expect(await requestSignup(h.deps, email, actor)).toEqual({ status: "closed" });
    expect(await h.t.db.ticket.count({ where: { email } })).toBe(0);
    expect(await confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)).toEqual({ status: "closed" });
    expect(await h.t.db.user.count({ where: { email: early } })).toBe(0);
  });

  it("rule \"Consumption is one conditional write\": parallel confirmations create one account", async () => {
    const email = address("race");
    const ticket = await requested(email);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)));
    expect(outcomes.filter((o) => o.status === "created")).toHaveLength(1);
    expect(await h.t.db.user.count({ where: { email } })).toBe(1);
  });

  it("an address that got an account meanwhile is left alone", async () => {
    const email = address("meanwhile");
    const ticket = await requested(email);
    await h.t.db.user.create({ data: { email } });
    expect(await confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)).toEqual({ status: "exists" });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();
  });

  it("expires after SIGNUP_TTL_HOURS (injected clock)", async () => {
    const email = address("late");
    const ticket = await requested(email);
    h.clock.advance(24 * 3_600_000 + 1);
    expect(await confirmSignup(h.deps, { ticket: ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)).toMatchObject({ status: "refused", result: { result: "expired" } });
    expect(await h.t.db.user.count({ where: { email } })).toBe(0);
  });

  it("Cancel: a password reset ticket posted to the sign-up form is cancelled", async () => {
    const email = address("misuse");
    const user = await h.t.db.user.create({ data: { email } });
    const reset = await h.deps.tickets.issue({ type: "password_reset", email, userId: user.id, ttlSeconds: 3600, uses: 1 });
    if (!reset.ok) throw new Error(reset.error.message);
    expect(await confirmSignup(h.deps, { ticket: reset.value.ticket }, { password: PASSWORD, confirm: PASSWORD }, actor)).toEqual({ status: "misused" });
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { id: reset.value.record.id } })).state).toBe("revoked");
    expect((await h.mails()).map((m) => m.template)).toEqual(["ticket-cancelled"]);
  });
});
