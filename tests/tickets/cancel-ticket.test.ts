// Cancel (Bugzilla::Token::Cancel) on a real database and the real outbox:
// the ticket stops working, its history says why, and the requester is told.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type CancelDeps, cancelTicket } from "@/lib/tickets/cancel";
import { openTicketStore } from "@/lib/db/ticket-store";
import { enqueueMail } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "@/tests/support/databases";

const SECRET = "test-secret-test-secret-test-secret-!!";

describe.each(engines)("cancelling a ticket on %s", (engine) => {
  let t: TestDatabase;
  let deps: CancelDeps;
  let close: () => void;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const opened = openTicketStore(t.url, t.db);
    close = opened.close;
    deps = { tickets: createTicketService({ store: opened.store, actionPaths: createActionPathRegistry(["account"]), defaultDomain: "auth.example.com" }), sendMail: (mail) => enqueueMail(t.db, SECRET, mail) };
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

  async function issue(type: "password_reset" | "api", email: string | null) {
    const issued = await deps.tickets.issue({ type, email, data: null, ttlSeconds: 3600, uses: 1, requestedFrom: { ip: "192.0.2.10", userAgent: "mail client" } });
    if (!issued.ok) throw new Error(issued.error.message);
    return issued.value;
  }

  it("revokes the ticket, keeps the reason in its history and mails the reason, never the link", async () => {
    const { ticket, record } = await issue("password_reset", "ada@example.com");
    const outcome = await cancelTicket(deps, record.id, "  Not requested by you.\r\nAsk again if it was.  ", "admin", { ip: "198.51.100.7" });
    expect(outcome).toMatchObject({ ok: true, mailed: true, ticket: { status: "revoked", reason: "Not requested by you.\nAsk again if it was." } });

    expect((await deps.tickets.redeem(ticket)).result).not.toBe("success");
    const detail = await deps.tickets.get(record.id);
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
    await cancelTicket(deps, record.id, `<img src=x onerror="alert(1)">`, "misuse", {});
    const [mail] = await mails();
    expect(mail!.html).not.toContain("<img");
    expect(mail!.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(mail!.text).toContain("presented for something it was not made for");
  });

  it("refuses an empty reason, an unknown ticket and a ticket that is no longer open, and mails nothing", async () => {
    const { ticket, record } = await issue("password_reset", "cy@example.com");
    expect(await cancelTicket(deps, record.id, " \n ", "admin", {})).toEqual({ ok: false, code: "NO_REASON" });
    expect(await cancelTicket(deps, "no-such-id", "reason", "admin", {})).toEqual({ ok: false, code: "NOT_FOUND" });
    expect((await deps.tickets.redeem(ticket)).result).toBe("success");
    expect(await cancelTicket(deps, record.id, "too late", "admin", {})).toEqual({ ok: false, code: "NOT_OPEN" });
    expect(await mails()).toEqual([]);
  });

  it("cancels an API ticket without mailing anyone", async () => {
    const { record } = await issue("api", null);
    expect(await cancelTicket(deps, record.id, "project retired", "admin", {})).toMatchObject({ ok: true, mailed: false });
    expect(await mails()).toEqual([]);
  });
});
