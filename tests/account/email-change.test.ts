// E-mail change (IssueEmailChangeToken, HasEmailChangeToken,
// DeleteEmailChangeTokens) on real databases: two tickets, the change only on
// confirmation, cancel from the old address reverts it, taken addresses refused quietly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { cancelEmailChange, confirmEmailChange, deleteEmailChangeTokens, pendingEmailChange, requestEmailChange } from "@/lib/account/email-change";
import { accountHistory, isOwnTicket } from "@/lib/account/history";
import { maskEmail } from "@/lib/forms/email";

import { type Harness, actor, address, clean, createHarness, ticketIn } from "./harness";
import { engines } from "../support/databases";

describe.each(engines)("e-mail change on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => clean(h));

  async function setup(label: string) {
    const oldEmail = address(`${label}-old`);
    const newEmail = address(`${label}-new`);
    const user = await h.t.db.user.create({ data: { email: oldEmail } });
    await h.t.db.session.create({ data: { userId: user.id, sessionToken: `s-${user.id}`, expires: new Date(Date.now() + 86_400_000) } });
    return { id: user.id, oldEmail, newEmail };
  }

  async function requested(label: string) {
    const s = await setup(label);
    expect(await requestEmailChange(h.deps, s.id, s.newEmail, actor)).toEqual({ status: "sent" });
    const mails = await h.mails();
    const toNew = mails.find((m) => m.to === s.newEmail)!;
    const toOld = mails.find((m) => m.to === s.oldEmail)!;
    return { ...s, confirm: ticketIn(toNew), cancel: ticketIn(toOld), toNew, toOld };
  }

  it("mails the new address a confirmation and the old one a cancellation; nothing changes yet; the change is pending", async () => {
    const r = await requested("basic");
    expect(r.toNew).toMatchObject({ template: "email-change-new", subject: "Confirm your new address for Ticketgate" });
    expect(r.toOld).toMatchObject({ template: "email-change-old" });
    // The old mailbox sees the new address masked only.
    expect(r.toOld.text).not.toContain(r.newEmail);
    expect(r.toOld.text).toContain(maskEmail(r.newEmail));
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
    const pending = await pendingEmailChange(h.deps, r.id);
    expect(pending).toMatchObject({ newEmail: r.newEmail });
    expect(pending!.expiresAt!.getTime() - h.clock.now().getTime()).toBe(3 * 86_400_000);
    const rows = await h.t.db.ticket.findMany({ where: { userId: r.id }, orderBy: { type: "asc" } });
    expect(rows.map((t) => [t.type, JSON.parse(t.payload!)])).toEqual([
      ["email_change_new", { oldEmail: r.oldEmail, newEmail: r.newEmail }],
      ["email_change_old", { oldEmail: r.oldEmail, newEmail: r.newEmail }],
    ]);
  });

  it("confirming from the new address makes the change", async () => {
    const r = await requested("confirm");
    expect(await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).toEqual({ status: "changed", newEmail: r.newEmail });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.newEmail);
    expect(await pendingEmailChange(h.deps, r.id)).toBeNull();
    expect((await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).status).toBe("refused");
  });

  it("cancelling from the old address after confirmation reverts it and signs everyone out", async () => {
    const r = await requested("revert");
    await confirmEmailChange(h.deps, { ticket: r.confirm }, actor);
    expect(await cancelEmailChange(h.deps, { ticket: r.cancel }, actor)).toMatchObject({ status: "cancelled", reverted: true, undone: { passwordRemoved: false, tokens: 0 } });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
    expect(await h.t.db.session.count({ where: { userId: r.id } })).toBe(0);
  });

  it("undoing a confirmed change also removes what was set through the new address: password, API tokens, reset links", async () => {
    const r = await requested("takeover");
    await confirmEmailChange(h.deps, { ticket: r.confirm }, actor);
    // Meanwhile, through the new address: a password, a token, another session, a reset link.
    await h.t.db.user.update({ where: { id: r.id }, data: { passwordHash: "$argon2id$set-by-whoever-holds-the-new-address" } });
    await h.t.db.personalApiToken.create({ data: { userId: r.id, name: "theirs", tokenHash: "t".repeat(64), prefix: "tgp_theirs" } });
    await h.t.db.session.create({ data: { userId: r.id, sessionToken: `s2-${r.id}`, expires: new Date(Date.now() + 86_400_000) } });
    const reset = await h.deps.tickets.issue({ type: "password_reset", email: r.newEmail, userId: r.id, ttlSeconds: 3600, uses: 1 });
    expect(reset.ok).toBe(true);

    const sessions = await h.t.db.session.count({ where: { userId: r.id } });
    expect(sessions).toBeGreaterThan(0);
    // The page after it says exactly what was taken away.
    expect(await cancelEmailChange(h.deps, { ticket: r.cancel }, actor)).toEqual({ status: "cancelled", reverted: true, undone: { sessions, passwordRemoved: true, tokens: 1 } });
    const user = await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } });
    expect(user).toMatchObject({ email: r.oldEmail, passwordHash: null });
    expect(await h.t.db.session.count({ where: { userId: r.id } })).toBe(0);
    expect(await h.t.db.personalApiToken.count({ where: { userId: r.id, revokedAt: null } })).toBe(0);
    expect(reset.ok && (await h.deps.tickets.redeem(reset.value.ticket)).status).toBe("revoked");
  });

  it("after a confirmed change, the previous address's undo link cannot be taken away from the account", async () => {
    const r = await requested("keep-undo");
    await confirmEmailChange(h.deps, { ticket: r.confirm }, actor);
    // Withdrawing (the account page's button) leaves the undo link alone…
    expect(await deleteEmailChangeTokens(h.deps, r.id, "withdrawn", actor)).toBe(0);
    // …and no new change can be started while it is open (it would make the undo impossible).
    h.clock.advance(301_000);
    expect(await requestEmailChange(h.deps, r.id, address("keep-undo-third"), actor)).toMatchObject({ status: "undo-pending", until: expect.any(Date) });
    // The owner of the previous address still gets the account back.
    expect(await cancelEmailChange(h.deps, { ticket: r.cancel }, actor)).toMatchObject({ status: "cancelled", reverted: true, undone: { passwordRemoved: false, tokens: 0 } });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
    // Once used, changes are possible again.
    h.clock.advance(301_000);
    expect(await requestEmailChange(h.deps, r.id, address("keep-undo-fourth"), actor)).toEqual({ status: "sent" });
  });

  it("cancelling before confirmation revokes the confirmation link; nothing changes", async () => {
    const r = await requested("cancel");
    expect(await cancelEmailChange(h.deps, { ticket: r.cancel }, actor)).toEqual({ status: "cancelled", reverted: false });
    expect(await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).toMatchObject({ status: "refused", result: { status: "revoked" } });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
    expect(await h.t.db.session.count({ where: { userId: r.id } })).toBe(1);
  });

  it("withdrawing from the account page revokes both tickets", async () => {
    const r = await requested("withdraw");
    expect(await deleteEmailChangeTokens(h.deps, r.id, "withdrawn", actor)).toBe(2);
    expect(await pendingEmailChange(h.deps, r.id)).toBeNull();
    expect((await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).status).toBe("refused");
    expect((await cancelEmailChange(h.deps, { ticket: r.cancel }, actor)).status).toBe("refused");
  });

  it("a new request withdraws the earlier one", async () => {
    const r = await requested("again");
    h.clock.advance(301_000);
    const other = address("again-other");
    expect(await requestEmailChange(h.deps, r.id, other, actor)).toEqual({ status: "sent" });
    expect((await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).status).toBe("refused");
    expect((await pendingEmailChange(h.deps, r.id))?.newEmail).toBe(other);
  });

  it("an address in use: the same answer, no confirmation link anywhere, a notice to that address", async () => {
    const s = await setup("taken");
    await h.t.db.user.create({ data: { email: s.newEmail } });
    expect(await requestEmailChange(h.deps, s.id, s.newEmail, actor)).toEqual({ status: "sent" });
    const mails = await h.mails();
    const toNew = mails.filter((m) => m.to === s.newEmail);
    expect(toNew.map((m) => m.template)).toEqual(["email-change-taken"]);
    expect(toNew[0]!.text).not.toMatch(/\/ticket\//);
    expect(mails.find((m) => m.to === s.oldEmail)?.template).toBe("email-change-old");
  });

  it("an address taken between request and confirmation is refused at confirmation", async () => {
    const r = await requested("raced");
    await h.t.db.user.create({ data: { email: r.newEmail } });
    expect(await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).toEqual({ status: "taken" });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
  });

  it("the same address is refused; a second request within the interval is too soon", async () => {
    const s = await setup("same");
    expect(await requestEmailChange(h.deps, s.id, s.oldEmail, actor)).toEqual({ status: "same" });
    expect(await requestEmailChange(h.deps, s.id, s.newEmail, actor)).toEqual({ status: "sent" });
    expect(await requestEmailChange(h.deps, s.id, address("third"), actor)).toMatchObject({ status: "too-soon" });
  });

  it("valid for EMAIL_CHANGE_TTL_DAYS (injected clock)", async () => {
    const r = await requested("late");
    h.clock.advance(3 * 86_400_000 + 1);
    expect(await confirmEmailChange(h.deps, { ticket: r.confirm }, actor)).toMatchObject({ status: "refused", result: { result: "expired" } });
    expect(await pendingEmailChange(h.deps, r.id)).toBeNull();
  });

  it("Cancel: the old address's ticket posted to the confirm form is cancelled, not used", async () => {
    const r = await requested("misuse");
    expect(await confirmEmailChange(h.deps, { ticket: r.cancel }, actor)).toEqual({ status: "misused" });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id: r.id } })).email).toBe(r.oldEmail);
    expect((await h.mails()).filter((m) => m.template === "ticket-cancelled").map((m) => m.to)).toEqual([r.oldEmail]);
  });
});

describe.each(engines)("the account page's history after an address moves, on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());

  it("shows the tickets of the address that are this account's, not those of the account that had the address before", async () => {
    const shared = address("moved");
    const first = await h.t.db.user.create({ data: { email: shared } });
    const before = await h.deps.tickets.issue({ type: "login", email: shared, userId: first.id, ttlSeconds: 900, uses: 1 });
    // The first account moves to another address; a second account gets this one.
    await h.t.db.user.update({ where: { id: first.id }, data: { email: address("moved-away") } });
    const second = await h.t.db.user.create({ data: { email: shared } });
    const anonymous = await h.deps.tickets.issue({ type: "login", email: shared, userId: null, ttlSeconds: 900, uses: 1 });
    const mine = await h.deps.tickets.issue({ type: "login", email: shared, userId: second.id, ttlSeconds: 900, uses: 1 });
    if (!before.ok || !anonymous.ok || !mine.ok) throw new Error("issue failed");

    const history = await accountHistory(h.deps.tickets, { id: second.id, email: shared });
    expect(history.map((t) => t.id).sort()).toEqual([anonymous.value.record.id, mine.value.record.id].sort());
    expect(isOwnTicket(before.value.record, { id: second.id, email: shared })).toBe(false);
    expect(isOwnTicket(mine.value.record, { id: second.id, email: shared })).toBe(true);
  });
});
