// The server-side guards as pages and server actions call them
// (lib/admin/admin.server.ts), on a real database: only next-auth's session
// lookup, the request headers and Next's redirect/notFound are stood in for.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { TestDatabase } from "../support/databases";
import { createTestDatabase } from "../support/databases";

const state = vi.hoisted(() => ({ db: null as unknown, session: null as { user: { id: string } } | null, origin: "http://localhost:3000" as string | null }));

vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`REDIRECT ${to}`);
  },
  notFound: () => {
    throw new Error("NOT_FOUND");
  },
}));
vi.mock("@/lib/sessions/auth.server", () => ({ auth: async () => state.session }));
vi.mock("@/lib/runtime", () => ({ runtime: () => ({ db: state.db, tickets: {}, mailer: { seal: () => null, queued: () => {} } }) }));
vi.mock("@/lib/http/request.server", () => ({
  isSameOrigin: async () => state.origin === "http://localhost:3000",
  requestActor: async () => ({ ip: "192.0.2.44", userAgent: "Guard test" }),
}));
vi.mock("@/lib/env", () => ({ env: () => ({ ADMIN_EMAILS: ["root@example.com"], TICKET_RETENTION_DAYS: 30 }) }));

const { requireAdmin, performAdmin } = await import("@/lib/admin/admin.server");

describe("requireAdmin and performAdmin (SQLite)", () => {
  let t: TestDatabase;
  let admin: { id: string };
  let plain: { id: string };
  let root: { id: string };

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    state.db = t.db;
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.auditEvent.deleteMany({});
    await t.db.user.deleteMany({});
    admin = await t.db.user.create({ data: { email: "boss@example.com", role: "admin" } });
    plain = await t.db.user.create({ data: { email: "plain@example.com" } });
    root = await t.db.user.create({ data: { email: "root@example.com" } });
    state.origin = "http://localhost:3000";
  });

  it("pages: anonymous → sign-in that comes back, non-admin → 404, admins (role or configuration) → in", async () => {
    state.session = null;
    await expect(requireAdmin("admin/tickets")).rejects.toThrow("REDIRECT /login?next=admin%2Ftickets");
    state.session = { user: { id: plain.id } };
    await expect(requireAdmin("admin/tickets")).rejects.toThrow("NOT_FOUND");
    state.session = { user: { id: admin.id } };
    await expect(requireAdmin("admin/tickets")).resolves.toEqual({ id: admin.id, email: "boss@example.com", source: "role" });
    state.session = { user: { id: root.id } };
    await expect(requireAdmin("admin")).resolves.toMatchObject({ source: "configuration" });
  });

  it("server actions: cross-site, anonymous and non-admin posts are refused and write nothing", async () => {
    const form = new FormData();
    form.set("operation", "grantAdmin");
    form.set("email", "new@example.com");
    state.session = { user: { id: admin.id } };
    state.origin = "http://evil.example";
    expect(await performAdmin(form)).toMatchObject({ status: "error", message: expect.stringContaining("only be sent from this site") });
    state.origin = "http://localhost:3000";
    state.session = null;
    expect(await performAdmin(form)).toMatchObject({ status: "error" });
    state.session = { user: { id: plain.id } };
    expect(await performAdmin(form)).toEqual({ status: "error", message: "Not found." });
    expect(await t.db.user.count({ where: { email: "new@example.com" } })).toBe(0);
    expect(await t.db.auditEvent.count()).toBe(0);

    state.session = { user: { id: admin.id } };
    expect(await performAdmin(form)).toMatchObject({ status: "ok" });
    expect(await t.db.auditEvent.findFirst()).toMatchObject({ action: "user.grant-admin", actorId: admin.id, ip: "192.0.2.44", userAgent: "Guard test" });
  });

  it("a field sent twice is refused, not read as its first value", async () => {
    const form = new FormData();
    form.set("operation", "grantAdmin");
    form.append("email", "a@example.com");
    form.append("email", "b@example.com");
    state.session = { user: { id: admin.id } };
    expect(await performAdmin(form)).toMatchObject({ status: "error", fieldErrors: { email: expect.any(String) } });
    expect(await t.db.user.count({ where: { email: { in: ["a@example.com", "b@example.com"] } } })).toBe(0);
  });

  it("an operation named twice, or not at all, or unknown, is refused", async () => {
    state.session = { user: { id: admin.id } };
    for (const operations of [["grantAdmin", "removeAdmin"], [], ["dropDatabase"]]) {
      const form = new FormData();
      for (const operation of operations) form.append("operation", operation);
      form.set("email", "x@example.com");
      expect(await performAdmin(form)).toEqual({ status: "error", message: "There is no such action. Reload the page and try again." });
    }
    expect(await t.db.user.count({ where: { email: "x@example.com" } })).toBe(0);
  });
});
