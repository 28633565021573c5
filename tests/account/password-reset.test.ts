// Password reset (Bugzilla's IssuePasswordToken, DeletePasswordTokens) on real
// databases: no enumeration, "too soon", GET-free validation before the ticket
// is spent, exactly one reset under parallel submissions, everyone signed out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { authenticateApiToken, createApiToken } from "@/lib/account/api-tokens";
import { verifyPassword } from "@/lib/account/password";
import { requestPasswordReset, resetPassword } from "@/lib/account/password-reset";
import { hashTicket } from "@/lib/tickets";

import { type Harness, actor, address, clean, createHarness, ticketIn } from "./harness";
import { injectFailure } from "../db/inject-failure";
import { engines } from "../support/databases";

const NEW = "a new long password";

describe.each(engines)("password reset on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => clean(h));

  async function user(label: string) {
    const email = address(label);
    const row = await h.t.db.user.create({ data: { email } });
    return { email, id: row.id };
  }

  async function requestedTicket(email: string): Promise<string> {
    const outcome = await requestPasswordReset(h.deps, email, actor);
    expect(outcome).toEqual({ status: "sent", ticketId: expect.any(String) });
    const mail = (await h.mails()).filter((m) => m.to === email && m.template === "password-reset").at(-1);
    const ticket = ticketIn(mail!);
    // The id the caller binds to the asking browser is the mailed ticket's.
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } })).id).toBe(outcome.status === "sent" && outcome.ticketId);
    return ticket;
  }

  it("rule \"Links are built from the configured public URL\": mails a link built from APP_URL to an account, valid PASSWORD_RESET_TTL_MINUTES, bound to the user", async () => {
    const { email, id } = await user("ada");
    const ticket = await requestedTicket(email);
    const row = await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } });
    expect(row).toMatchObject({ type: "password_reset", email, userId: id, usesLeft: 1, requestedFromIp: "192.0.2.5" });
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(60 * 60_000);
    const [mail] = await h.mails();
    expect(mail!.subject).toBe("Choose a new password for Ticketgate");
    expect(mail!.text).toContain("This request came from the address 192.0.2.5.");
  });

  it("rule \"Same answer, status and headers for known and unknown addresses\": an unknown or disabled address gets the same answer and no mail, no ticket", async () => {
    const disabled = await user("off");
    await h.t.db.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    const ghost = address("ghost");
    // No ticket to bind; the page binds this browser all the same and shows only the "sent" text (lib/account/account.server.ts).
    expect(await requestPasswordReset(h.deps, ghost, actor)).toEqual({ status: "sent", ticketId: null });
    expect(await requestPasswordReset(h.deps, disabled.email, actor)).toEqual({ status: "sent", ticketId: null });
    expect(await h.mails()).toEqual([]);
    expect(await h.t.db.ticket.count({ where: { email: { in: [ghost, disabled.email] } } })).toBe(0);
  });

  it('"too soon": one request per address per interval, counted the same for unknown addresses', async () => {
    const { email } = await user("soon");
    const ghost = address("ghost");
    for (const who of [email, ghost]) {
      expect(await requestPasswordReset(h.deps, who, actor)).toMatchObject({ status: "sent" });
      const again = await requestPasswordReset(h.deps, who, actor);
      expect(again).toMatchObject({ status: "too-soon" });
      expect((again as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(200);
    }
    expect((await h.mails()).length).toBe(1);
    h.clock.advance(301_000);
    expect(await requestPasswordReset(h.deps, email, actor)).toEqual({ status: "sent", ticketId: expect.any(String) });
  });

  it('rule "Rate limits per address and per client IP": one client cannot spray reset requests over many addresses', async () => {
    h.config.LOGIN_MAX_PER_IP_PER_HOUR = 2;
    const ip = { ip: "203.0.113.70" };
    expect(await requestPasswordReset(h.deps, address("a"), ip)).toEqual({ status: "sent", ticketId: null });
    expect(await requestPasswordReset(h.deps, address("b"), ip)).toEqual({ status: "sent", ticketId: null });
    expect(await requestPasswordReset(h.deps, address("c"), ip)).toMatchObject({ status: "too-soon" });
    expect(await requestPasswordReset(h.deps, address("d"), { ip: "203.0.113.71" })).toEqual({ status: "sent", ticketId: null });
  });

  it("rule \"never a half-written row\": validates before spending: a bad password leaves the ticket usable", async () => {
    const { email, id } = await user("typo");
    const ticket = await requestedTicket(email);
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: "short", confirm: "short" }, actor)).toMatchObject({ status: "invalid", field: "password" });
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: "something else" }, actor)).toMatchObject({ status: "invalid", field: "confirm" });
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } })).usesLeft).toBe(1);
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).toEqual({ status: "reset", userId: id });
  });

  it("a reset sets the password, ends ALL sessions, cancels other reset links and mails the owner with the IP", async () => {
    const { email, id } = await user("reset");
    for (const token of ["s1", "s2", "s3"]) await h.t.db.session.create({ data: { userId: id, sessionToken: `${token}-${id}`, expires: new Date(Date.now() + 86_400_000) } });
    // Another open reset link (issued without superseding, as an older instance might have).
    const other = await h.deps.tickets.issue({ type: "password_reset", email, userId: id, ttlSeconds: 3600, uses: 1 });
    const ticket = await requestedTicket(email);
    // requestedTicket's supersede retired `other`; make it open again to prove the reset revokes it.
    await h.t.db.ticket.update({ where: { id: other.ok ? other.value.record.id : "" }, data: { state: "open", supersededById: null, endedAt: null } });
    const outcome = await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, { ip: "198.51.100.77", userAgent: "browser" });
    expect(outcome).toEqual({ status: "reset", userId: id });

    const row = await h.t.db.user.findUniqueOrThrow({ where: { id } });
    expect(await verifyPassword(row.passwordHash, NEW)).toBe(true);
    expect(await h.t.db.session.count({ where: { userId: id } })).toBe(0);
    expect(await h.t.db.ticket.count({ where: { userId: id, type: "password_reset", state: "open" } })).toBe(0);
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { id: other.ok ? other.value.record.id : "" } })).state).toBe("revoked");
    const notice = (await h.mails()).find((m) => m.template === "password-changed");
    expect(notice).toMatchObject({ to: email, subject: "Your password was changed for Ticketgate" });
    expect(notice!.text).toContain("The change came from the address 198.51.100.77.");
    expect(notice!.text).toContain("The reset link had been asked for from the address 192.0.2.5.");
    expect(notice!.text).not.toMatch(/\/ticket\//);
  });

  it('rule "Bad input gets a clear 4xx, never a 500 and never a half-written row": a failure after the spend (queueing the notice, ending a session) leaves the link open and the password, sessions, tokens and other links as they were', async () => {
    const { email, id } = await user("atomic");
    await h.t.db.session.create({ data: { userId: id, sessionToken: `s-${id}`, expires: new Date(Date.now() + 86_400_000) } });
    const token = await createApiToken(h.t.db, id, "backup");
    if (token.status !== "created") throw new Error("no token");
    const other = await h.deps.tickets.issue({ type: "password_reset", email, userId: id, ttlSeconds: 3600, uses: 1 });
    if (!other.ok) throw new Error(other.error.message);
    const ticket = await requestedTicket(email);
    await h.t.db.ticket.update({ where: { id: other.value.record.id }, data: { state: "open", supersededById: null, endedAt: null } });

    for (const [on, table] of [["INSERT", "mail_messages"], ["DELETE", "sessions"]] as const) {
      const restore = await injectFailure(h.t, on, table);
      try {
        await expect(resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).rejects.toThrow();
      } finally {
        await restore();
      }
      expect(await h.t.db.ticket.findUniqueOrThrow({ where: { tokenHash: hashTicket(ticket) } })).toMatchObject({ state: "open", usesLeft: 1, useCount: 0 });
      expect(await h.t.db.ticket.findUniqueOrThrow({ where: { id: other.value.record.id } })).toMatchObject({ state: "open" });
      expect((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
      expect(await h.t.db.session.count({ where: { userId: id } })).toBe(1);
      expect(await authenticateApiToken(h.t.db, token.token, null)).toEqual({ userId: id });
      expect((await h.mails()).filter((m) => m.template === "password-changed")).toEqual([]);
    }
    // The same link then works, once.
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).toEqual({ status: "reset", userId: id });
    expect(await verifyPassword((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash, NEW)).toBe(true);
  });

  it('rule "Credentials end together": a reset revokes every personal API token, so a stolen one stops working at once, and the notice says how many', async () => {
    const { email, id } = await user("tokens");
    const tokens = [];
    for (const name of ["ci", "backup"]) {
      const created = await createApiToken(h.t.db, id, name);
      if (created.status !== "created") throw new Error("no token");
      tokens.push(created.token);
    }
    const bystander = await user("bystander");
    const theirs = await createApiToken(h.t.db, bystander.id, "theirs");
    if (theirs.status !== "created") throw new Error("no token");
    for (const token of tokens) expect(await authenticateApiToken(h.t.db, token, null)).toEqual({ userId: id });

    const ticket = await requestedTicket(email);
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).toEqual({ status: "reset", userId: id });
    for (const token of tokens) expect(await authenticateApiToken(h.t.db, token, null)).toBeNull();
    expect(await authenticateApiToken(h.t.db, theirs.token, null)).toEqual({ userId: bystander.id });
    const notice = (await h.mails()).find((m) => m.template === "password-changed");
    expect(notice!.text).toContain("2 personal API tokens of yours were revoked");
    expect(notice!.html).toContain("2 personal API tokens of yours were revoked");

    // Someone without tokens is not told about tokens.
    h.clock.advance(301_000);
    const plain = await user("no-tokens");
    expect((await resetPassword(h.deps, { ticket: await requestedTicket(plain.email) }, { password: NEW, confirm: NEW }, actor)).status).toBe("reset");
    const plainNotice = (await h.mails()).find((m) => m.template === "password-changed" && m.to === plain.email);
    expect(plainNotice!.text).not.toContain("API token");
  });

  it("rule \"Consumption is one conditional write\": 16 parallel confirmations of one ticket change the password exactly once", async () => {
    const { email, id } = await user("race");
    const ticket = await requestedTicket(email);
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => resetPassword(h.deps, { ticket: ticket }, { password: `${NEW} ${i}`, confirm: `${NEW} ${i}` }, actor)));
    const winners = outcomes.map((o, i) => ({ o, i })).filter(({ o }) => o.status === "reset");
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "refused")).toHaveLength(15);
    const row = await h.t.db.user.findUniqueOrThrow({ where: { id } });
    expect(await verifyPassword(row.passwordHash, `${NEW} ${winners[0]!.i}`)).toBe(true);
    expect((await h.mails()).filter((m) => m.template === "password-changed")).toHaveLength(1);
  });

  it("expires after PASSWORD_RESET_TTL_MINUTES (injected clock) and a used link is refused", async () => {
    const { email } = await user("late");
    const ticket = await requestedTicket(email);
    h.clock.advance(60 * 60_000 + 1);
    expect(await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).toMatchObject({ status: "refused", result: { result: "expired" } });

    h.clock.advance(301_000);
    const fresh = await requestedTicket(email);
    expect((await resetPassword(h.deps, { ticket: fresh }, { password: NEW, confirm: NEW }, actor)).status).toBe("reset");
    expect(await resetPassword(h.deps, { ticket: fresh }, { password: NEW, confirm: NEW }, actor)).toMatchObject({ status: "refused", result: { result: "closed" } });
  });

  it("a newer reset link supersedes the older one", async () => {
    const { email } = await user("twice");
    const first = await requestedTicket(email);
    h.clock.advance(301_000);
    await requestedTicket(email);
    expect(await resetPassword(h.deps, { ticket: first }, { password: NEW, confirm: NEW }, actor)).toMatchObject({ status: "refused", result: { status: "superseded" } });
  });

  it("refuses when the account's address changed since the link was mailed", async () => {
    const { email, id } = await user("moved");
    const ticket = await requestedTicket(email);
    await h.t.db.user.update({ where: { id }, data: { email: address("elsewhere") } });
    await h.t.db.session.create({ data: { userId: id, sessionToken: `kept-${id}`, expires: new Date(Date.now() + 86_400_000) } });
    expect((await resetPassword(h.deps, { ticket: ticket }, { password: NEW, confirm: NEW }, actor)).status).toBe("refused");
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
    // Nothing half-done: the sessions stay too.
    expect(await h.t.db.session.count({ where: { userId: id } })).toBe(1);
  });

  it("Cancel: a sign-in ticket posted to the reset form is cancelled and its requester told", async () => {
    const { email, id } = await user("misuse");
    const login = await h.deps.tickets.issue({ type: "login", email, userId: id, ttlSeconds: 900, uses: 1, requestedFrom: { ip: "192.0.2.44" } });
    if (!login.ok) throw new Error(login.error.message);
    expect(await resetPassword(h.deps, { ticket: login.value.ticket }, { password: NEW, confirm: NEW }, { ip: "203.0.113.13" })).toEqual({ status: "misused" });
    expect((await h.t.db.ticket.findUniqueOrThrow({ where: { id: login.value.record.id } })).state).toBe("revoked");
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
    const [mail] = await h.mails();
    expect(mail).toMatchObject({ to: email, template: "ticket-cancelled" });
    expect(mail!.text).toContain("presented for something it was not made for");
    expect(mail!.text).toContain("Cancelled from: 203.0.113.13");
  });

  it('rule "Bad input gets a clear 4xx, never a 500 and never a half-written row": a sign-in ticket posted to the reset form is cancelled with its notice or not at all', async () => {
    const { email, id } = await user("misuse-atomic");
    const login = await h.deps.tickets.issue({ type: "login", email, userId: id, ttlSeconds: 900, uses: 1 });
    if (!login.ok) throw new Error(login.error.message);
    const restore = await injectFailure(h.t, "INSERT", "mail_messages");
    try {
      await expect(resetPassword(h.deps, { ticket: login.value.ticket }, { password: NEW, confirm: NEW }, actor)).rejects.toThrow();
    } finally {
      await restore();
    }
    // Not cancelled without its requester being told: the ticket is as it was.
    expect(await h.t.db.ticket.findUniqueOrThrow({ where: { id: login.value.record.id } })).toMatchObject({ state: "open", usesLeft: 1 });
    expect(await h.mails()).toEqual([]);
    expect(await resetPassword(h.deps, { ticket: login.value.ticket }, { password: NEW, confirm: NEW }, actor)).toEqual({ status: "misused" });
    expect((await h.mails()).map((m) => m.template)).toEqual(["ticket-cancelled"]);
  });
});
