// The admin console's changes, on real databases: who may make them (every
// operation refuses cross-site posts, anonymous and non-admin callers and
// changes nothing), what each does, and the audit row each leaves.
// docs/design.md rules proven here: "Bad input gets a clear 4xx, never a 500 and
// never a half-written row" (schema refusals change nothing); API keys and
// tickets "stored only as a hash" (a new key is shown once, its hash kept).
import { createOidcClient } from "@/lib/oidc/clients";
import { createHash } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { checkAdmin } from "@/lib/admin/access";
import { ADMIN_OPERATIONS, type AdminOperation, cleanUpAudited } from "@/lib/admin/operations";
import { REFUSED, performAdminAction } from "@/lib/admin/perform";
import { plural } from "@/lib/format";
import { UNREADABLE_FORM } from "@/lib/forms/form-action";
import { createSession } from "@/lib/sessions/sessions";
import { runExclusive } from "@/lib/db/job-lock";

import { injectFailure } from "../db/inject-failure";
import { engines } from "../support/databases";
import { type AdminFixture, CONFIG_ADMIN, adminFixture, issue, mails, makeSession, makeUser, request } from "./support";

describe.each(engines)("admin actions on %s", (engine) => {
  let f: AdminFixture;
  let admin: { id: string; email: string };
  let plain: { id: string; email: string };

  beforeAll(async () => {
    f = await adminFixture(engine);
  });
  afterAll(async () => {
    await f?.close();
  });
  beforeEach(async () => {
    const db = f.t.db;
    await db.auditEvent.deleteMany({});
    await db.mailMessage.deleteMany({});
    await db.ticket.deleteMany({});
    await db.apiProject.deleteMany({});
    await db.session.deleteMany({});
    await db.user.deleteMany({});
    admin = await makeUser(f, "boss@example.com", "admin");
    plain = await makeUser(f, "plain@example.com");
  });

  /** The console form for operation `name`, posted as the browser posts it (a null field is sent twice, which reads as null). */
  const form = (name: string, fields: Record<string, string | null>) => {
    const data = new FormData();
    data.set("operation", name);
    for (const [key, value] of Object.entries(fields)) {
      if (value === null) data.append(key, "one");
      data.append(key, value ?? "two");
    }
    return data;
  };
  const run = (name: AdminOperation, who: { id: string } | null, fields: Record<string, string | null>, sameOrigin = true) => performAdminAction(request(f, who, sameOrigin), f.deps, form(name, fields));

  /** Everything an admin action could change, to prove a refusal changed nothing. */
  async function snapshot() {
    const db = f.t.db;
    const [users, sessions, tickets, projects, keys, audit, outbox, apps] = await Promise.all([
      db.user.findMany({ orderBy: { email: "asc" }, select: { email: true, role: true, disabled: true } }),
      db.session.count(),
      db.ticket.findMany({ orderBy: { id: "asc" }, select: { id: true, state: true } }),
      db.apiProject.findMany({ orderBy: { name: "asc" }, select: { name: true, maxLiveTickets: true, disabled: true } }),
      db.apiKey.findMany({ orderBy: { id: "asc" }, select: { id: true, revokedAt: true } }),
      db.auditEvent.count(),
      db.mailMessage.count(),
      db.oidcClient.findMany({ orderBy: { id: "asc" } }),
    ]);
    return { users, sessions, tickets, projects, keys, audit, outbox, apps };
  }

  /** A valid input for every operation, so a refusal can only come from who asks. */
  async function validInputs(): Promise<Record<AdminOperation, Record<string, string>>> {
    const victim = await makeUser(f, "victim@example.com", "admin");
    const session = await makeSession(f, victim.id);
    const { record } = await issue(f, { email: "victim@example.com" });
    const project = await f.t.db.apiProject.create({ data: { name: "crm", keys: { create: { keyHash: "a".repeat(64), prefix: "tg_aaaaaaa" } } }, include: { keys: true } });
    const { client: app } = await createOidcClient(f.t.db, f.deps.authSecret, { name: `grafana-${Math.random().toString(36).slice(2, 8)}`, redirectUris: ["https://grafana.example/cb"] });
    return {
      cancelTicket: { ticketId: record.id, reason: "not requested" },
      cleanup: {},
      grantAdmin: { email: "new-admin@example.com" },
      removeAdmin: { userId: victim.id },
      setDisabled: { userId: victim.id, disabled: "true" },
      revokeSession: { sessionId: session.id },
      createProject: { name: "billing", maxLiveTickets: "10", maxPayloadBytes: "100", defaultTtl: "60" },
      updateProject: { projectId: project.id, maxLiveTickets: "5", maxPayloadBytes: "100", defaultTtl: "30", disabled: "on" },
      createKey: { projectId: project.id, name: "second" },
      revokeKey: { keyId: project.keys[0]!.id },
      createApp: { name: `Wiki ${Math.random().toString(36).slice(2, 8)}`, redirectUris: "https://wiki.example/cb\nhttps://wiki.example/cb2", postLogoutRedirectUris: "", firstParty: "on" },
      updateApp: { clientId: app.id, redirectUris: "https://grafana.example/login/generic_oauth", postLogoutRedirectUris: "https://grafana.example/", firstParty: "on" },
      rotateAppSecret: { clientId: app.id },
      deleteApp: { clientId: app.id },
    };
  }

  describe("who is an administrator", () => {
    it("by role, by configuration (which the console cannot remove), and nobody else", async () => {
      expect(await checkAdmin(f.t.db, [CONFIG_ADMIN], null)).toEqual({ kind: "anonymous" });
      expect(await checkAdmin(f.t.db, [CONFIG_ADMIN], { id: "no-such-user" })).toEqual({ kind: "anonymous" });
      expect(await checkAdmin(f.t.db, [CONFIG_ADMIN], { id: plain.id })).toEqual({ kind: "forbidden" });
      expect(await checkAdmin(f.t.db, [CONFIG_ADMIN], { id: admin.id })).toEqual({ kind: "admin", admin: { id: admin.id, email: admin.email, source: "role" } });
      const root = await makeUser(f, CONFIG_ADMIN);
      expect(await checkAdmin(f.t.db, [CONFIG_ADMIN], { id: root.id })).toMatchObject({ kind: "admin", admin: { source: "configuration" } });
    });

    it("reads the role at every check: a removed role or a disabled account stops working at once", async () => {
      await f.t.db.user.update({ where: { id: admin.id }, data: { disabled: true } });
      expect(await checkAdmin(f.t.db, [], { id: admin.id })).toEqual({ kind: "forbidden" });
      await f.t.db.user.update({ where: { id: admin.id }, data: { disabled: false, role: "user" } });
      expect(await checkAdmin(f.t.db, [], { id: admin.id })).toEqual({ kind: "forbidden" });
    });
  });

  describe("every operation refuses, and changes nothing, for", () => {
    const operations = Object.keys(ADMIN_OPERATIONS) as AdminOperation[];

    it.each(operations)("%s: a cross-site post (even from an admin), an anonymous caller, a non-admin", async (name) => {
      const inputs = await validInputs();
      const before = await snapshot();
      expect(await run(name, admin, inputs[name], false)).toEqual(REFUSED.crossSite);
      expect(await run(name, null, inputs[name])).toEqual(REFUSED.anonymous);
      expect(await run(name, plain, inputs[name])).toEqual(REFUSED.forbidden);
      expect(await snapshot()).toEqual(before);
      // And the same input from an admin does something, so the refusals above were about who asked.
      expect(await run(name, admin, inputs[name])).toMatchObject({ status: "ok" });
      expect(await f.t.db.auditEvent.count()).toBe(1);
    });

    // Rule "Bad input gets a clear 4xx, never a 500": JSON arguments used to throw "a.keys is not a function" before the origin and role checks ran.
    it.each(operations)("%s: a body that is not a form (JSON arguments) gets the same refusals in the same order, and from an admin a clear error, never a throw", async (name) => {
      const inputs = await validInputs();
      const before = await snapshot();
      for (const body of [{ operation: name, ...inputs[name] }, [name], "operation=" + name, null, undefined, 42]) {
        expect(await performAdminAction(request(f, admin, false), f.deps, body)).toEqual(REFUSED.crossSite);
        expect(await performAdminAction(request(f, null, true), f.deps, body)).toEqual(REFUSED.anonymous);
        expect(await performAdminAction(request(f, plain, true), f.deps, body)).toEqual(REFUSED.forbidden);
        expect(await performAdminAction(request(f, admin, true), f.deps, body)).toEqual({ status: "error", message: UNREADABLE_FORM, fieldErrors: { form: UNREADABLE_FORM } });
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('rule "Bad input gets a clear 4xx, never a 500 and never a half-written row": bad input is a clear message, never an exception or a half-written row', () => {
    it.each([
      ["cancelTicket", { ticketId: "x", reason: " " }, "reason"],
      ["cancelTicket", { ticketId: "../etc", reason: "fine reason" }, "ticketId"],
      ["grantAdmin", { email: "a@example.com, b@example.com" }, "email"],
      ["grantAdmin", { email: null }, "email"],
      ["createProject", { name: "Bad Name", maxLiveTickets: "10", maxPayloadBytes: "10", defaultTtl: "10" }, "name"],
      ["createProject", { name: "ok", maxLiveTickets: "-1", maxPayloadBytes: "10", defaultTtl: "10" }, "maxLiveTickets"],
      ["createProject", { name: "ok", maxLiveTickets: "10", maxPayloadBytes: "1e9", defaultTtl: "10" }, "maxPayloadBytes"],
      ["setDisabled", { userId: "abc", disabled: "maybe" }, "disabled"],
    ] as const)("%s %j → error on %s", async (name, fields, field) => {
      const before = await snapshot();
      const result = await run(name, admin, fields);
      expect(result).toMatchObject({ status: "error", fieldErrors: { [field]: expect.any(String) } });
      expect(await snapshot()).toEqual(before);
    });
  });

  it("an operation name the console does not have is refused, not a 500 (the forms bind the name in the browser)", async () => {
    const before = await snapshot();
    for (const name of ["dropEverything", "constructor", "__proto__", "toString"]) {
      expect(await run(name as AdminOperation, admin, {})).toEqual(REFUSED.unknown);
    }
    expect(await snapshot()).toEqual(before);
  });

  describe("tickets", () => {
    it("cancel: revokes, mails the requester the reason, and audits who did it from where", async () => {
      const { ticket, record } = await issue(f, { email: "ada@example.com" });
      const result = await run("cancelTicket", admin, { ticketId: record.id, reason: "Looks like phishing" });
      expect(result).toEqual({ status: "ok", message: "Cancelled. ada@example.com has been mailed the reason." });
      expect((await f.deps.tickets.redeem(ticket)).status).toBe("revoked");
      const [mail] = await mails(f);
      expect(mail).toMatchObject({ to: "ada@example.com", template: "ticket-cancelled" });
      expect(mail!.text).toContain("Looks like phishing");
      const [audit] = await f.t.db.auditEvent.findMany();
      expect(audit).toMatchObject({ actorId: admin.id, actorEmail: admin.email, action: "ticket.cancel", targetType: "ticket", targetId: record.id, ip: "198.51.100.9", userAgent: "AdminBrowser/1.0" });
      expect(audit!.detail).toContain("Looks like phishing");
      expect(audit!.detail).not.toContain(ticket);
    });

    it("cancel: a ticket that is no longer open says so, and nothing is audited or mailed", async () => {
      const { ticket, record } = await issue(f, { email: "bo@example.com" });
      await f.deps.tickets.redeem(ticket);
      expect(await run("cancelTicket", admin, { ticketId: record.id, reason: "too late" })).toMatchObject({ status: "error", message: expect.stringContaining("closed") });
      expect(await f.t.db.auditEvent.count()).toBe(0);
      expect(await mails(f)).toEqual([]);
    });

    it("clean up now: removes tickets that ended before the retention, reports them by state, audits it", async () => {
      const old = await issue(f, { email: "old@example.com" });
      await f.deps.tickets.redeem(old.ticket);
      const revoked = await issue(f, { email: "old2@example.com" });
      await f.deps.tickets.revoke(revoked.record.id, "test");
      f.clock.advance(31 * 86_400_000);
      const fresh = await issue(f, { email: "new@example.com" });
      const result = await run("cleanup", admin, {});
      expect(result).toMatchObject({ status: "ok", message: expect.stringContaining("Removed 2 tickets") });
      expect((result as { message: string }).message).toMatch(/\(1 used, 1 cancelled\);/);
      expect((await f.t.db.ticket.findMany({ select: { id: true } })).map((t) => t.id)).toEqual([fresh.record.id]);
      expect(await f.t.db.auditEvent.findFirst()).toMatchObject({ action: "tickets.cleanup", detail: "Removed 2 tickets (1 used, 1 cancelled), 0 mails, 0 sessions, 0 browser bindings, 0 rate-limit windows and 0 app sign-in records; kept for 30 days" });
      f.clock.set(new Date());
    });

    it("clean up now runs the scheduled job: old mail, expired sessions, browser bindings and rate-limit windows go too, and it says so", async () => {
      const now = f.clock.now();
      const old = new Date(now.getTime() - 31 * 86_400_000);
      const ended = new Date(now.getTime() - 1000);
      const later = new Date(now.getTime() + 86_400_000);
      await f.t.db.mailMessage.createMany({
        data: [
          { recipient: "a@example.com", template: "t", sealed: "", state: "sent", sentAt: old, nextAttemptAt: old },
          { recipient: "b@example.com", template: "t", sealed: "x", state: "pending", nextAttemptAt: old },
        ],
      });
      await f.t.db.session.createMany({
        data: [
          { sessionToken: "cleanup-expired", userId: plain.id, expires: ended },
          { sessionToken: "cleanup-live", userId: plain.id, expires: later },
        ],
      });
      await f.t.db.ticketBinding.createMany({ data: [{ browserHash: "cleanup-old", kind: "login", codeHash: "x", codeAttemptsLeft: 5, expiresAt: ended }] });
      await f.t.db.rateLimitBucket.createMany({ data: [{ key: "cleanup:ended", count: 1, resetAt: ended }, { key: "cleanup:running", count: 1, resetAt: later }] });

      const result = await run("cleanup", admin, {});
      expect(result).toEqual({
        status: "ok",
        message: "Removed 0 tickets that ended more than 30 days ago; also 1 sent or failed mail, 1 expired session, 1 expired browser binding, 1 finished rate-limit window and 0 expired app sign-in records.",
      });
      expect((await f.t.db.mailMessage.findMany({ select: { recipient: true } })).map((m) => m.recipient)).toEqual(["b@example.com"]);
      expect((await f.t.db.session.findMany({ select: { sessionToken: true } })).map((s) => s.sessionToken)).toEqual(["cleanup-live"]);
      expect(await f.t.db.ticketBinding.count({ where: { browserHash: "cleanup-old" } })).toBe(0);
      expect((await f.t.db.rateLimitBucket.findMany({ where: { key: { startsWith: "cleanup:" } }, select: { key: true } })).map((b) => b.key)).toEqual(["cleanup:running"]);
      expect(await f.t.db.auditEvent.findMany()).toMatchObject([
        { action: "tickets.cleanup", detail: "Removed 0 tickets, 1 mail, 1 session, 1 browser binding, 1 rate-limit window and 0 app sign-in records; kept for 30 days" },
      ]);
    });

    it.runIf(engine === "postgresql")("clean up now takes the job's lock: while another instance runs the job it removes nothing and says so", async () => {
      const old = await issue(f, { email: "old@example.com" });
      // A look is an event row (the issue and the one use are the ticket's row): its history has rows to lose.
      await f.deps.tickets.peek(old.ticket);
      await f.deps.tickets.redeem(old.ticket);
      f.clock.advance(31 * 86_400_000);
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      const other = runExclusive(f.t.url, "cleanup", async () => (started(), holding), { schema: f.t.schema });
      try {
        await inside;
        expect(await run("cleanup", admin, {})).toEqual({ status: "error", message: "Another instance is cleaning up right now; nothing was removed here. Try again in a minute." });
        expect(await f.t.db.ticket.count({ where: { id: old.record.id } })).toBe(1);
        expect(await f.t.db.auditEvent.count()).toBe(0);
        release();
        await other;
        // Its turn once the other run is done.
        expect(await run("cleanup", admin, {})).toMatchObject({ status: "ok", message: expect.stringContaining("Removed 1 ticket that ended") });
      } finally {
        release();
        await other;
        f.clock.set(new Date());
      }
    });
  });

  describe('rule "Bad input gets a clear 4xx, never a 500 and never a half-written row": a change and its audit row commit together, or neither does', () => {
    it("cancel: when the audit row, or the ticket's revoked event, cannot be written, the ticket stays open and nobody is mailed", async () => {
      const { ticket, record } = await issue(f, { email: "ada@example.com" });
      for (const [table, when] of [["audit_events", undefined], ["ticket_events", `NEW."kind" = 'revoked'`]] as const) {
        const restore = await injectFailure(f.t, "INSERT", table, when);
        try {
          await expect(run("cancelTicket", admin, { ticketId: record.id, reason: "Looks like phishing" })).rejects.toThrow();
        } finally {
          await restore();
        }
        expect(await f.t.db.ticket.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ state: "open", reason: null, endedAt: null });
        expect(await f.t.db.ticketEvent.count({ where: { ticketId: record.id, kind: "revoked" } })).toBe(0);
        expect(await f.t.db.auditEvent.count()).toBe(0);
        expect(await mails(f)).toEqual([]);
      }
      expect(await run("cancelTicket", admin, { ticketId: record.id, reason: "Looks like phishing" })).toMatchObject({ status: "ok" });
      expect((await f.deps.tickets.redeem(ticket)).status).toBe("revoked");
      expect(await f.t.db.auditEvent.count({ where: { action: "ticket.cancel", targetId: record.id } })).toBe(1);
      expect(await mails(f)).toHaveLength(1);
    });

    it("clean up now: when the audit row, or a deletion, cannot be written, nothing is removed and nothing audited", async () => {
      const old = await issue(f, { email: "old@example.com" });
      // A look is an event row (the issue and the one use are the ticket's row): its history has rows to lose.
      await f.deps.tickets.peek(old.ticket);
      await f.deps.tickets.redeem(old.ticket);
      f.clock.advance(31 * 86_400_000);
      try {
        for (const [on, table] of [["INSERT", "audit_events"], ["DELETE", "tickets"]] as const) {
          const restore = await injectFailure(f.t, on, table);
          try {
            await expect(run("cleanup", admin, {})).rejects.toThrow();
          } finally {
            await restore();
          }
          expect(await f.t.db.ticket.count({ where: { id: old.record.id } })).toBe(1);
          expect(await f.t.db.ticketEvent.count({ where: { ticketId: old.record.id } })).toBeGreaterThan(0);
          expect(await f.t.db.auditEvent.count()).toBe(0);
        }
        expect(await run("cleanup", admin, {})).toMatchObject({ status: "ok", message: expect.stringContaining("Removed 1 ticket that ended more than 30 days ago") });
        expect(await f.t.db.auditEvent.findMany()).toMatchObject([{ action: "tickets.cleanup", detail: expect.stringContaining("Removed 1 ticket (1 used), ") }]);
      } finally {
        f.clock.set(new Date());
      }
    });

    it("clean up in batches: one audit row that always counts exactly what is gone, even when a later batch fails", async () => {
      const issued = [];
      for (const email of ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]) {
        const one = await issue(f, { email });
        await f.deps.tickets.revoke(one.record.id, "test");
        issued.push(one);
      }
      f.clock.advance(31 * 86_400_000);
      const ctx = { admin: { id: admin.id, email: admin.email }, actor: { ip: "198.51.100.9" } };
      try {
        const restore = await injectFailure(f.t, "DELETE", "tickets", `OLD."email" = 'c@example.com'`);
        try {
          await expect(cleanUpAudited(f.deps, ctx, 1)).rejects.toThrow();
        } finally {
          await restore();
        }
        const gone = 4 - (await f.t.db.ticket.count());
        const audits = await f.t.db.auditEvent.findMany();
        // Each batch commits with the audit row's running count: whatever went before the failure is accounted for, nothing more.
        expect(audits).toHaveLength(gone > 0 ? 1 : 0);
        if (gone > 0) expect(audits[0]!.detail).toContain(`Removed ${plural(gone, "ticket")} (${gone} cancelled), `);
        await f.t.db.auditEvent.deleteMany({});

        const rerun = await cleanUpAudited(f.deps, ctx, 1);
        expect(rerun.ran && rerun.result.tickets).toEqual({ removed: 4 - gone, byState: { revoked: 4 - gone } });
        expect(await f.t.db.ticket.count()).toBe(0);
        expect(await f.t.db.auditEvent.findMany()).toMatchObject([{ action: "tickets.cleanup", detail: expect.stringContaining(`Removed ${plural(4 - gone, "ticket")} (${4 - gone} cancelled), `) }]);
      } finally {
        f.clock.set(new Date());
      }
    });
  });

  describe("users and sessions", () => {
    it("disabling a user ends every session and revokes every open ticket at once, leaving others alone", async () => {
      const ada = await makeUser(f, "ada@example.com");
      await makeSession(f, ada.id);
      await makeSession(f, ada.id, "203.0.113.77");
      const otherSession = await makeSession(f, plain.id);
      const byUser = await issue(f, { email: "ada@example.com", userId: ada.id, type: "password_reset" });
      const byAddress = await issue(f, { email: "ada@example.com" });
      const someoneElse = await issue(f, { email: "plain@example.com" });

      const result = await run("setDisabled", admin, { userId: ada.id, disabled: "true" });
      expect(result).toEqual({ status: "ok", message: "ada@example.com is disabled: 2 sessions ended, 2 open tickets revoked." });

      expect(await f.t.db.user.findUnique({ where: { id: ada.id } })).toMatchObject({ disabled: true });
      expect(await f.t.db.session.findMany({ select: { id: true } })).toEqual([{ id: otherSession.id }]);
      for (const { ticket } of [byUser, byAddress]) expect((await f.deps.tickets.redeem(ticket)).status).toBe("revoked");
      const history = await f.deps.tickets.get(byAddress.record.id);
      expect(history!.events).toContainEqual(expect.objectContaining({ kind: "revoked", detail: "account disabled by an administrator", ip: "198.51.100.9" }));
      expect((await f.deps.tickets.peek(someoneElse.ticket, { quiet: true })).status).toBe("open");
      expect(await f.t.db.auditEvent.findFirst()).toMatchObject({ action: "user.disable", targetId: ada.id, actorEmail: admin.email });

      expect(await run("setDisabled", admin, { userId: ada.id, disabled: "false" })).toMatchObject({ status: "ok" });
      expect(await f.t.db.user.findUnique({ where: { id: ada.id } })).toMatchObject({ disabled: false });
      expect(await f.t.db.auditEvent.count({ where: { action: "user.enable" } })).toBe(1);
    });

    it("enabling an account ends every session too: one left behind must not come back to life with it", async () => {
      const ada = await makeUser(f, "ada@example.com");
      await run("setDisabled", admin, { userId: ada.id, disabled: "true" });
      // A row written around the checks (as a sign-in racing the disable could, before sessions were created conditionally).
      await makeSession(f, ada.id);
      expect(await run("setDisabled", admin, { userId: ada.id, disabled: "false" })).toEqual({ status: "ok", message: "ada@example.com is enabled again." });
      expect(await f.t.db.session.count({ where: { userId: ada.id } })).toBe(0);
    });

    it("sign-ins racing an administrator's disable: every session opened before the disable is ended by it, none opens after", async () => {
      const ada = await makeUser(f, "ada@example.com");
      const expires = new Date(Date.now() + 86_400_000);
      for (let round = 0; round < 5; round++) {
        const signIns = Array.from({ length: 6 }, () => createSession(f.t.db, ada.id, expires, { ip: "192.0.2.1" }));
        const [disabled] = await Promise.all([run("setDisabled", admin, { userId: ada.id, disabled: "true" }), ...signIns]);
        expect(disabled).toMatchObject({ status: "ok" });
        // Whatever the interleaving, the disabled account has no session left.
        expect(await f.t.db.session.count({ where: { userId: ada.id } })).toBe(0);
        expect(await createSession(f.t.db, ada.id, expires, {})).toBeNull();
        await run("setDisabled", admin, { userId: ada.id, disabled: "false" });
      }
    });

    it("an administrator cannot disable themselves or remove their own role; configuration admins cannot be demoted", async () => {
      expect(await run("setDisabled", admin, { userId: admin.id, disabled: "true" })).toMatchObject({ status: "error" });
      expect(await run("removeAdmin", admin, { userId: admin.id })).toMatchObject({ status: "error" });
      const root = await makeUser(f, CONFIG_ADMIN);
      expect(await run("removeAdmin", admin, { userId: root.id })).toMatchObject({ status: "error", message: expect.stringContaining("configuration") });
      // Nor disabled, which would lock them out of the console just the same.
      expect(await run("setDisabled", admin, { userId: root.id, disabled: "true" })).toMatchObject({ status: "error", message: expect.stringContaining("ADMIN_EMAILS") });
      expect(await f.t.db.user.findUnique({ where: { id: root.id } })).toMatchObject({ disabled: false });
      expect(await f.t.db.auditEvent.count()).toBe(0);
      expect(await f.t.db.user.findUnique({ where: { id: admin.id } })).toMatchObject({ role: "admin", disabled: false });
    });

    it("two grants racing to create one account: both succeed, one account, the admin role", async () => {
      const email = `racing-${Date.now()}@example.com`;
      const results = await Promise.all(Array.from({ length: 4 }, () => run("grantAdmin", admin, { email })));
      expect(results.every((r) => r.status === "ok")).toBe(true);
      expect(await f.t.db.user.findMany({ where: { email }, select: { role: true } })).toEqual([{ role: "admin" }]);
    });

    it("grant creates the account when needed; remove takes the role back; both audited", async () => {
      expect(await run("grantAdmin", admin, { email: "  Eve@Example.com " })).toMatchObject({ status: "ok", message: expect.stringContaining("created") });
      const eve = await f.t.db.user.findUniqueOrThrow({ where: { email: "eve@example.com" } });
      expect(eve.role).toBe("admin");
      expect(await run("grantAdmin", admin, { email: "eve@example.com" })).toMatchObject({ status: "ok", message: expect.stringContaining("already") });
      expect(await run("removeAdmin", admin, { userId: eve.id })).toMatchObject({ status: "ok" });
      expect((await f.t.db.user.findUniqueOrThrow({ where: { id: eve.id } })).role).toBe("user");
      expect((await f.t.db.auditEvent.findMany({ orderBy: { at: "asc" } })).map((a) => [a.action, a.targetId])).toEqual([
        ["user.grant-admin", eve.id],
        ["user.remove-admin", eve.id],
      ]);
    });

    it("revokes any user's session", async () => {
      const session = await makeSession(f, plain.id);
      expect(await run("revokeSession", admin, { sessionId: session.id })).toMatchObject({ status: "ok" });
      expect(await f.t.db.session.count()).toBe(0);
      expect(await run("revokeSession", admin, { sessionId: session.id })).toMatchObject({ status: "error" });
      expect(await f.t.db.auditEvent.findFirst()).toMatchObject({ action: "session.revoke", targetId: session.id, detail: expect.stringContaining("plain@example.com") });
    });
  });

  describe("API projects and keys", () => {
    const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

    it('as the rule "Ticket values: … stored only as a hash" asks of tickets: a new API key is returned once and only its hash is stored, never in the audit trail', async () => {
      const created = await run("createProject", admin, { name: "crm", maxLiveTickets: "50", maxPayloadBytes: "512", defaultTtl: "120" });
      expect(created).toMatchObject({ status: "ok", key: expect.stringMatching(/^tg_[A-Za-z0-9_-]{43}$/) });
      const key = (created as { key: string }).key;
      const project = await f.t.db.apiProject.findUniqueOrThrow({ where: { name: "crm" }, include: { keys: true } });
      expect(project).toMatchObject({ maxLiveTickets: 50, maxPayloadBytes: 512, defaultTtl: 120 });
      expect(project.keys.map((k) => k.keyHash)).toEqual([sha256(key)]);
      const dump = JSON.stringify([await f.t.raw("SELECT * FROM api_keys"), await f.t.raw("SELECT * FROM audit_events"), await f.t.raw("SELECT * FROM api_projects")]);
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(12));

      const second = await run("createKey", admin, { projectId: project.id, name: "deploy" });
      const secondKey = (second as { key: string }).key;
      expect(secondKey).not.toBe(key);
      expect(await f.t.db.apiKey.count({ where: { keyHash: sha256(secondKey), name: "deploy" } })).toBe(1);
      expect(await run("createProject", admin, { name: "crm", maxLiveTickets: "1", maxPayloadBytes: "1", defaultTtl: "1" })).toMatchObject({ status: "error", fieldErrors: { name: expect.any(String) } });
    });

    it("two creations of one project name racing: one project, and the other is told the name is taken", async () => {
      const name = `race-${Date.now()}`;
      const results = await Promise.all(Array.from({ length: 4 }, () => run("createProject", admin, { name, maxLiveTickets: "10", maxPayloadBytes: "1024", defaultTtl: "60" })));
      expect(results.filter((r) => r.status === "ok")).toHaveLength(1);
      expect(results.filter((r) => r.status === "error").map((r) => r.status === "error" && r.message)).toEqual(Array(3).fill("A project with this name already exists."));
      expect(await f.t.db.apiProject.count({ where: { name } })).toBe(1);
      expect(await f.t.db.auditEvent.count({ where: { action: "project.create", detail: { startsWith: name } } })).toBe(1);
    });

    it("edits limits and revokes keys, audited with what changed", async () => {
      const created = await run("createProject", admin, { name: "shop", maxLiveTickets: "50", maxPayloadBytes: "512", defaultTtl: "120" });
      expect(created.status).toBe("ok");
      const project = await f.t.db.apiProject.findUniqueOrThrow({ where: { name: "shop" }, include: { keys: true } });
      expect(await run("updateProject", admin, { projectId: project.id, maxLiveTickets: "7", maxPayloadBytes: "512", defaultTtl: "30", disabled: "on" })).toMatchObject({ status: "ok" });
      expect(await f.t.db.apiProject.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ maxLiveTickets: 7, defaultTtl: 30, disabled: true });
      // The audit log reads in words, as the form does, never the stored field names.
      const create = await f.t.db.auditEvent.findFirstOrThrow({ where: { action: "project.create" } });
      expect(create.detail).toBe(`shop: at most 50 live tickets, payloads up to 512 bytes, default ttl 2 min; first key ${project.keys[0]!.prefix}…`);
      const update = await f.t.db.auditEvent.findFirstOrThrow({ where: { action: "project.update" } });
      expect(update.detail).toBe("shop: live tickets at most 50 → 7, default ttl 2 min → 30 s, disabled");
      // A missing check box means "not disabled".
      await run("updateProject", admin, { projectId: project.id, maxLiveTickets: "7", maxPayloadBytes: "512", defaultTtl: "30" });
      expect((await f.t.db.apiProject.findUniqueOrThrow({ where: { id: project.id } })).disabled).toBe(false);

      expect(await run("revokeKey", admin, { keyId: project.keys[0]!.id })).toMatchObject({ status: "ok" });
      expect((await f.t.db.apiKey.findUniqueOrThrow({ where: { id: project.keys[0]!.id } })).revokedAt).toBeInstanceOf(Date);
      expect(await f.t.db.auditEvent.count({ where: { action: "key.revoke", targetId: project.keys[0]!.id } })).toBe(1);
    });
  });
});
