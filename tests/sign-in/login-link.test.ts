// The sign-in request flow on a real database and the real outbox: who gets a
// mail, what the mail carries, and that the caller cannot tell who has an account.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type LoginLinkDeps, issueLoginLink } from "@/lib/sign-in/link";
import { type OpenedTicketStore, openTicketStore } from "@/lib/db/ticket-store";
import { sealForOutbox } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { createActionPathRegistry, createTicketService, hashTicket } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "@/tests/support/databases";

const SECRET = "test-secret-test-secret-test-secret-!!";
const APP_URL = "https://auth.example.com";
const actionPaths = createActionPathRegistry(["account", "subrequest/:list"]);

describe.each(engines)("requesting a sign-in link on %s", (engine) => {
  let t: TestDatabase;
  let deps: LoginLinkDeps;
  let signup: "open" | "closed";
  let store: OpenedTicketStore;
  let kicks = 0;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    // The store production uses on this engine (the raw one on SQLite).
    store = openTicketStore(t.url, t.db, { schema: t.schema });
  });
  afterAll(async () => {
    await store?.close();
    await t?.drop();
  });
  beforeEach(async () => {
    signup = "open";
    deps = {
      db: t.db,
      tickets: createTicketService({ store: store.store, actionPaths, defaultDomain: "auth.example.com" }),
      actionPaths,
      sealMail: (mail) => sealForOutbox(SECRET, mail),
      mailQueued: () => kicks++,
      get config() {
        return { APP_URL, SIGNUP: signup, LOGIN_TICKET_TTL_MINUTES: 15 };
      },
    };
    await t.db.mailMessage.deleteMany({});
  });

  async function mails() {
    const rows = await t.db.mailMessage.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map((row) => ({ to: row.recipient, ...openMail(SECRET, row.sealed) }));
  }

  it("queues one mail with a link built from APP_URL, the code, and the stored action", async () => {
    const issued = await issueLoginLink(deps, "ada@example.com", "subrequest/foo", { ip: "192.0.2.5", userAgent: "test" });
    const [mail, ...rest] = await mails();
    expect(rest).toEqual([]);
    expect(mail!.to).toBe("ada@example.com");
    const link = /https:\/\/auth\.example\.com\/ticket\/([A-Za-z0-9_-]{43})/.exec(mail!.text);
    expect(link).not.toBeNull();
    expect(mail!.text).toContain(`${issued.code.slice(0, 3)}-${issued.code.slice(3)}`);
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: issued.ticketId! } });
    expect(ticket).toMatchObject({ type: "login", email: "ada@example.com", data: "subrequest/foo", usesLeft: 1, requestedFromIp: "192.0.2.5" });
    expect(ticket.tokenHash).toBe(hashTicket(link![1]!));
    // Queued in the ticket's transaction, due at once, and the worker was told.
    const row = await t.db.mailMessage.findFirstOrThrow({});
    expect(row).toMatchObject({ template: "login-link", state: "pending", attempts: 0, nextAttemptAt: ticket.createdAt });
    expect(kicks).toBeGreaterThan(0);
  });

  it("drops an action that is not registered instead of mailing it", async () => {
    const issued = await issueLoginLink(deps, "bob@example.com", "//evil.example", {});
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: issued.ticketId! } })).data).toBeNull();
  });

  it("with sign-up closed, an unknown address gets no mail and no ticket — and the same answer shape", async () => {
    signup = "closed";
    await t.db.user.create({ data: { email: "member@example.com" } });
    const known = await issueLoginLink(deps, "member@example.com", null, {});
    const unknown = await issueLoginLink(deps, "stranger@example.com", null, {});
    expect(Object.keys(unknown)).toEqual(Object.keys(known));
    expect(unknown.ticketId).toBeNull();
    expect(unknown.code).toMatch(/^\d{6}$/);
    expect((await mails()).map((m) => m.to)).toEqual(["member@example.com"]);
    expect(await t.db.ticket.count({ where: { email: "stranger@example.com" } })).toBe(0);
  });

  it("a disabled account gets no mail", async () => {
    await t.db.user.create({ data: { email: "gone@example.com", disabled: true } });
    expect((await issueLoginLink(deps, "gone@example.com", null, {})).ticketId).toBeNull();
    expect(await mails()).toEqual([]);
  });

  it("a second request supersedes the first link", async () => {
    const first = await issueLoginLink(deps, "twice@example.com", null, {});
    const second = await issueLoginLink(deps, "twice@example.com", null, {});
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: first.ticketId! } })).state).toBe("superseded");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: second.ticketId! } })).state).toBe("open");
  });

  it("the queued mail does not hold the link in clear", async () => {
    await issueLoginLink(deps, "sealed@example.com", null, {});
    const [row] = await t.db.mailMessage.findMany();
    expect(row!.sealed).not.toContain("auth.example.com/ticket/");
  });
});
