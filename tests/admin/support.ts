// A real database, the real ticket core and the real outbox for the admin
// console's tests, plus helpers to make users and sessions.
import { randomBytes } from "node:crypto";

import type { AdminDeps } from "@/lib/admin/operations";
import { checkAdmin } from "@/lib/admin/access";
import type { RequestInfo } from "@/lib/forms/form-action";
import { openTicketStore } from "@/lib/db/ticket-store";
import type { Engine } from "@/lib/db/engine";
import { sealForOutbox } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { createActionPathRegistry, createTicketService } from "@/lib/tickets";
import { type TestClock, createTestClock } from "@/lib/tickets/test-clock";

import { type TestDatabase, createTestDatabase } from "../support/databases";

export const SECRET = "test-secret-test-secret-test-secret-!!";
export const CONFIG_ADMIN = "root@example.com";

export interface AdminFixture {
  t: TestDatabase;
  deps: AdminDeps;
  clock: TestClock;
  close(): Promise<void>;
}

export async function adminFixture(engine: Engine): Promise<AdminFixture> {
  const t = await createTestDatabase(engine);
  const opened = openTicketStore(t.url, t.db, { schema: t.schema });
  // Now, to the millisecond, so rows Prisma stamps itself (users, sessions) and the core's agree.
  const clock = createTestClock(new Date());
  const tickets = createTicketService({ store: opened.store, actionPaths: createActionPathRegistry(["account", "subrequest/:list"]), clock, defaultDomain: "auth.example.com" });
  const deps: AdminDeps = {
    db: t.db,
    tickets,
    sealMail: (mail) => sealForOutbox(SECRET, mail),
    mailQueued: () => {},
    adminEmails: [CONFIG_ADMIN],
    retentionDays: 30,
    authSecret: "admin-test-secret-admin-test-secret-0123",
    clock,
    jobLock: { url: t.url, schema: t.schema },
  };
  return {
    t,
    deps,
    clock,
    async close() {
      await opened.close();
      await t.drop();
    },
  };
}

export async function makeUser(f: AdminFixture, email: string, role: "user" | "admin" = "user") {
  return f.t.db.user.create({ data: { email, role } });
}

export async function makeSession(f: AdminFixture, userId: string, ip = "203.0.113.5") {
  return f.t.db.session.create({
    data: { sessionToken: randomBytes(16).toString("hex"), userId, expires: new Date(Date.now() + 86_400_000), ipAddress: ip, userAgent: "Firefox" },
  });
}

/** A request as the server actions see it. */
export function request(f: AdminFixture, user: { id: string } | null, sameOrigin = true): RequestInfo {
  return {
    sameOrigin: async () => sameOrigin,
    user: async () => (user ? { id: user.id, email: "" } : null),
    admin: () => checkAdmin(f.deps.db, f.deps.adminEmails, user),
    guessing: async () => ({ allowed: true, retryAfterSeconds: 0 }),
    actor: async () => ({ ip: "198.51.100.9", userAgent: "AdminBrowser/1.0" }),
  };
}

export async function issue(f: AdminFixture, input: { email?: string | null; type?: "login" | "password_reset" | "api"; ttlSeconds?: number | null; userId?: string | null; domain?: string; projectId?: string | null }) {
  const issued = await f.deps.tickets.issue({
    type: input.type ?? "login",
    email: input.email === undefined ? "someone@example.com" : input.email,
    userId: input.userId ?? null,
    projectId: input.projectId ?? null,
    domain: input.domain,
    ttlSeconds: input.ttlSeconds === undefined ? 900 : input.ttlSeconds,
    uses: 1,
    requestedFrom: { ip: "192.0.2.1", userAgent: "Mail app" },
  });
  if (!issued.ok) throw new Error(issued.error.message);
  return issued.value;
}

export async function mails(f: AdminFixture) {
  const rows = await f.t.db.mailMessage.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map((row) => ({ to: row.recipient, template: row.template, ...openMail(SECRET, row.sealed) }));
}
