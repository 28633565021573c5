// Cancel (Bugzilla::Token::Cancel) in the ticket core, on a real database and
// the real outbox: an administrator's cancel with a reason, and redeemFor,
// which cancels a ticket presented for an action other than its own. Either
// way the ticket stops working, its history says why, and the requester is
// told — through the notifier the core is given (lib/runtime wires the mail).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ticketCancelledMail } from "@/emails/ticket-cancelled";
import { inTicketTransaction } from "@/lib/db/prisma-ticket-store";
import { openTicketStore } from "@/lib/db/ticket-store";
import { enqueueMail } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { type TicketService, type TicketType, createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "@/tests/support/databases";

const SECRET = "test-secret-test-secret-test-secret-!!";
const PARALLEL = 16;

describe.each(engines)("cancelling a ticket on %s", (engine) => {
  let t: TestDatabase;
  let tickets: TicketService;
  let close: () => void;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 20 });
    const opened = openTicketStore(t.url, t.db, { schema: t.schema });
    close = opened.close;
    tickets = createTicketService({
      store: opened.store,
      actionPaths: createActionPathRegistry(["account"]),
      defaultDomain: "auth.example.com",
      notifyCancelled: (notice) => enqueueMail(t.db, SECRET, ticketCancelledMail(notice)),
    });
  });
  afterAll(async () => {
    close?.();
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.mailMessage.deleteMany({});
  });

  async function mails() {
    const rows = await t.db.mailMessage.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map((row) => ({ to: row.recipient, template: row.template, ...openMail(SECRET, row.sealed) }));
  }

  async function issue(type: TicketType, email: string | null) {
    const issued = await tickets.issue({ type, email, data: null, ttlSeconds: 3600, uses: 1, requestedFrom: { ip: "192.0.2.10", userAgent: "mail client" } });
    if (!issued.ok) throw new Error(issued.error.message);
    return issued.value;
  }

  async function stateOf(id: string) {
    return (await t.db.ticket.findUniqueOrThrow({ where: { id } })).state;
  }

  it("revokes the ticket, keeps the reason in its history and mails the reason, never the link", async () => {
    const { ticket, record } = await issue("password_reset", "ada@example.com");
    const outcome = await tickets.cancel(record.id, "  Not requested by you.\r\nAsk again if it was.  ", { actor: { ip: "198.51.100.7" } });
    expect(outcome).toMatchObject({ ok: true, mailed: true, ticket: { status: "revoked", reason: "Not requested by you.\nAsk again if it was." } });

    expect((await tickets.redeem(ticket)).result).not.toBe("success");
    const detail = await tickets.get(record.id);
    expect(detail!.events.map((e) => [e.kind, e.detail, e.ip])).toContainEqual(["revoked", "Not requested by you.\nAsk again if it was.", "198.51.100.7"]);

    const [mail, ...rest] = await mails();
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to: "ada@example.com", template: "ticket-cancelled", subject: "Your password reset link for Ticketgate was cancelled" });
    expect(mail!.text).toContain("An administrator cancelled it.");
    expect(mail!.text).toContain("Not requested by you.\nAsk again if it was.");
    expect(mail!.text).toContain("requested from 192.0.2.10");
    expect(mail!.text).toContain("Cancelled from: 198.51.100.7");
    expect(mail!.text + mail!.html).not.toContain(ticket);
  });

  it("escapes the reason in the HTML part", async () => {
    const { record } = await issue("password_reset", "bob@example.com");
    await tickets.cancel(record.id, `<img src=x onerror="alert(1)">`);
    const [mail] = await mails();
    expect(mail!.html).not.toContain("<img");
    expect(mail!.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("refuses an empty reason, an unknown ticket and a ticket that is no longer open, and mails nothing", async () => {
    const { ticket, record } = await issue("password_reset", "cy@example.com");
    expect(await tickets.cancel(record.id, " \n ")).toEqual({ ok: false, code: "NO_REASON" });
    expect(await tickets.cancel("no-such-id", "reason")).toEqual({ ok: false, code: "NOT_FOUND" });
    expect((await tickets.redeem(ticket)).result).toBe("success");
    expect(await tickets.cancel(record.id, "too late")).toEqual({ ok: false, code: "NOT_OPEN" });
    expect(await mails()).toEqual([]);
  });

  it("cancels an API ticket without mailing anyone", async () => {
    const { record } = await issue("api", null);
    expect(await tickets.cancel(record.id, "project retired")).toMatchObject({ ok: true, mailed: false });
    expect(await mails()).toEqual([]);
  });

  it("redeemFor: a ticket of another type is not spent but cancelled, its requester told; the answer is \"misused\"", async () => {
    const { ticket, record } = await issue("password_reset", "dee@example.com");
    const result = await tickets.redeemFor(["login"], { ticket: ticket }, { actor: { ip: "203.0.113.13" }, domain: "auth.example.com" });
    expect(result).toMatchObject({ result: "misused", status: "revoked", ticket: { id: record.id, status: "revoked", useCount: 0 } });
    expect(await stateOf(record.id)).toBe("revoked");
    const detail = await tickets.get(record.id);
    expect(detail!.ticket.reason).toBe("This password reset link was presented for something else (sign-in link).");
    expect(detail!.events.map((e) => e.kind)).toEqual(["issued", "refused", "revoked"]);

    const [mail, ...rest] = await mails();
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to: "dee@example.com", template: "ticket-cancelled" });
    expect(mail!.text).toContain("presented for something it was not made for");
    expect(mail!.text).toContain("Cancelled from: 203.0.113.13");
    expect(mail!.text + mail!.html).not.toContain(ticket);
  });

  it("redeemFor: a ticket of the right type is spent as redeem spends it, and nobody is mailed", async () => {
    const { ticket } = await issue("login", "eve@example.com");
    expect(await tickets.redeemFor(["login"], { ticket: ticket }, { domain: "auth.example.com" })).toMatchObject({ result: "success", status: "closed", email: "eve@example.com" });
    expect(await mails()).toEqual([]);
  });

  it("redeemFor: a ticket of another type that has ended already gets the ordinary refusal, and nobody is mailed", async () => {
    const { ticket } = await issue("password_reset", "fay@example.com");
    expect((await tickets.redeem(ticket)).result).toBe("success");
    expect(await tickets.redeemFor(["login"], { ticket: ticket })).toMatchObject({ result: "error", status: "closed" });
    expect(await tickets.redeemFor(["login"], { ticket: "no-such-ticket" })).toMatchObject({ result: "error", status: "unknown", ticket: null });
    expect(await mails()).toEqual([]);
  });

  it("redeemFor: of parallel presentations of one misplaced ticket, exactly one cancels it and one mail is sent", async () => {
    const { ticket } = await issue("new_account", "gus@example.com");
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => tickets.redeemFor(["email_change_new"], { ticket: ticket })));
    expect(results.filter((r) => r.result === "misused")).toHaveLength(1);
    expect(results.filter((r) => r.result === "error")).toHaveLength(PARALLEL - 1);
    expect((await mails()).map((m) => m.to)).toEqual(["gus@example.com"]);
  });

  it("in a transaction: the cancel and the notice queued in it commit, or roll back, together", async () => {
    const kept = await issue("login", "hal@example.com");
    await inTicketTransaction(t.db, tickets, async (tx, bound) => {
      const notify = async (notice: Parameters<typeof ticketCancelledMail>[0]) => enqueueMail(tx, SECRET, ticketCancelledMail(notice));
      expect(await bound.redeemFor(["password_reset"], { ticket: kept.ticket }, { notify })).toMatchObject({ result: "misused" });
    });
    expect(await stateOf(kept.record.id)).toBe("revoked");
    expect((await mails()).map((m) => m.to)).toEqual(["hal@example.com"]);

    await t.db.mailMessage.deleteMany({});
    const undone = await issue("login", "ida@example.com");
    await expect(
      inTicketTransaction(t.db, tickets, async (tx, bound) => {
        await bound.redeemFor(["password_reset"], { ticket: undone.ticket }, { notify: async (notice) => enqueueMail(tx, SECRET, ticketCancelledMail(notice)) });
        throw new Error("the caller's own write failed");
      }),
    ).rejects.toThrow("the caller's own write failed");
    expect(await stateOf(undone.record.id)).toBe("open");
    expect(await mails()).toEqual([]);
  });

  it("a service with nobody to tell refuses to cancel, before anything is written", async () => {
    const { ticket, record } = await issue("password_reset", "jo@example.com");
    // withStore binds the core to a transaction's store and drops the notifier: a mail sent outside would not roll back.
    await expect(
      inTicketTransaction(t.db, tickets, async (_tx, bound) => {
        await bound.redeemFor(["login"], { ticket: ticket });
      }),
    ).rejects.toThrow(/no notifier/);
    await expect(inTicketTransaction(t.db, tickets, (_tx, bound) => bound.cancel(record.id, "a reason"))).rejects.toThrow(/no notifier/);
    expect(await stateOf(record.id)).toBe("open");
    expect(await mails()).toEqual([]);
  });
});
