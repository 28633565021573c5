// What the console reads, on real databases: the ticket status page's
// filters and cursor paging (through the ticket core, as the page does), the
// overview's counts and per-day activity, users, sessions and the audit trail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { listAudit } from "@/lib/admin/audit";
import { dailyActivity, listProjects, listSessions, listUsers, openedWithoutUse, projectNames, ticketCounts, ticketDetail } from "@/lib/admin/queries";
import { ticketFilterFrom } from "@/lib/admin/tickets";
import type { TicketFilter } from "@/lib/tickets";
import { parseQuery, ticketQuerySchema } from "@/lib/forms/admin";

import { engines } from "../support/databases";
import { type AdminFixture, adminFixture, issue, makeSession, makeUser } from "./support";

const DAY = 86_400_000;

describe.each(engines)("admin queries on %s", (engine) => {
  let f: AdminFixture;

  beforeAll(async () => {
    f = await adminFixture(engine);
  });
  afterAll(async () => {
    await f?.close();
  });
  beforeEach(async () => {
    await f.t.db.ticket.deleteMany({});
    await f.t.db.session.deleteMany({});
    await f.t.db.user.deleteMany({});
    await f.t.db.auditEvent.deleteMany({});
    await f.t.db.apiProject.deleteMany({});
    // Noon UTC today: per-day buckets must not depend on how close to midnight the suite runs.
    const now = new Date();
    f.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12)));
  });

  async function all(filter: TicketFilter, limit: number) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof f.deps.tickets.list>> = await f.deps.tickets.list(filter, { limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((t) => t.email ?? t.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { seen, pages };
  }

  it("pages through tickets newest first without gaps or repeats, under every filter of the status page", async () => {
    const project = await f.t.db.apiProject.create({ data: { name: "crm" } });
    const start = f.clock.now().getTime();
    for (let i = 0; i < 7; i++) {
      f.clock.set(new Date(start - (7 - i) * DAY));
      await issue(f, { email: `user${i}@${i % 2 ? "example.org" : "example.com"}`, type: i === 3 ? "password_reset" : "login", domain: i === 5 ? "other.example" : undefined });
    }
    f.clock.set(new Date(start));
    await issue(f, { email: null, type: "api", projectId: project.id });

    const everything = await all({}, 3);
    expect(everything.pages).toBe(3);
    expect(everything.seen).toHaveLength(8);
    expect(new Set(everything.seen).size).toBe(8);
    expect(everything.seen.slice(1)).toEqual(["user6@example.com", "user5@example.org", "user4@example.com", "user3@example.org", "user2@example.com", "user1@example.org", "user0@example.com"]);

    const query = (params: Record<string, string>) => {
      const parsed = parseQuery(ticketQuerySchema, params);
      expect(parsed.errors).toEqual({});
      return ticketFilterFrom(parsed.values);
    };
    expect((await all(query({ q: "EXAMPLE.ORG" }), 2)).seen).toEqual(["user5@example.org", "user3@example.org", "user1@example.org"]);
    expect((await all(query({ email: "User4@example.com" }), 2)).seen).toEqual(["user4@example.com"]);
    expect((await all(query({ type: "password_reset" }), 2)).seen).toEqual(["user3@example.org"]);
    expect((await all(query({ domain: "other.example" }), 2)).seen).toEqual(["user5@example.org"]);
    expect((await all(query({ project: project.id }), 2)).seen).toHaveLength(1);
    const day = (offset: number) => new Date(start - offset * DAY).toISOString().slice(0, 10);
    // Both ends of the range are whole days, included.
    expect((await all(query({ from: day(6), to: day(4) }), 2)).seen).toEqual(["user3@example.org", "user2@example.com", "user1@example.org"]);
    // Tickets issued 7 days ago with a 15-minute life are expired now: the filter uses the effective state.
    expect((await all(query({ state: "expired" }), 10)).seen).toHaveLength(7);
    expect((await all(query({ state: "open" }), 10)).seen).toHaveLength(1);
  });

  it("a bad query value is reported and ignored; the others still apply", () => {
    const parsed = parseQuery(ticketQuerySchema, { state: "bogus", type: "login", email: "a@b.co,c@d.co", from: "2026-13-45", q: ["a", "b"], domain: "" });
    expect(parsed.values).toEqual({ type: "login" });
    expect(Object.keys(parsed.errors).sort()).toEqual(["email", "from", "q", "state"]);
  });

  it("counts tickets by effective state, and per day issued / used / expired", async () => {
    const used = await issue(f, { email: "a@example.com" });
    await f.deps.tickets.redeem(used.ticket);
    await issue(f, { email: "b@example.com" });
    const late = await issue(f, { email: "c@example.com", ttlSeconds: 60 });
    const revoked = await issue(f, { email: "d@example.com" });
    await f.deps.tickets.revoke(revoked.record.id, "test");
    // A ticket of several uses: each use is an event, where one of one use is its row (both count).
    const several = await f.deps.tickets.issue({ type: "login", email: "e@example.com", ttlSeconds: null, uses: 3 });
    if (!several.ok) throw new Error(several.error.message);
    for (let i = 0; i < 2; i++) expect((await f.deps.tickets.redeem(several.value.ticket)).result).toBe("success");
    f.clock.advance(120_000);
    expect(await ticketCounts(f.deps.tickets)).toEqual({ open: 2, closed: 1, expired: 1, revoked: 1, superseded: 0 });
    // An expiry counts on its day whether or not anyone saw it happen.
    const days = await dailyActivity(f.t.db, f.clock);
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toEqual({ day: f.clock.now().toISOString().slice(0, 10), issued: 5, used: 3, expired: 1 });
    expect(days.slice(0, -1).every((d) => d.issued + d.used + d.expired === 0)).toBe(true);
    // Recording the expiry (someone opens the link) does not count it twice.
    await f.deps.tickets.redeem(late.ticket);
    expect((await dailyActivity(f.t.db, f.clock)).at(-1)!.expired).toBe(1);
  });

  it("the share of sign-in links opened but never used, and how many were opened by a browser that did not ask", async () => {
    const scanned = await issue(f, { email: "a@example.com" });
    // The ticket page says whether the browser looking is the one that asked (lib/sign-in/binding.ts).
    await f.deps.tickets.peek(scanned.ticket, { actor: { userAgent: "Scanner" }, elsewhere: async () => true });
    const clicked = await issue(f, { email: "b@example.com" });
    await f.deps.tickets.peek(clicked.ticket, { elsewhere: async () => false });
    await f.deps.tickets.redeem(clicked.ticket);
    await issue(f, { email: "c@example.com" });
    const reset = await issue(f, { email: "d@example.com", type: "password_reset" });
    await f.deps.tickets.peek(reset.ticket, { elsewhere: async () => true });
    expect(await openedWithoutUse(f.t.db, f.clock)).toEqual({ issued: 3, openedNotUsed: 1, share: 1 / 3, openedElsewhere: 1 });
  });

  it("users: search by address, paged by address", async () => {
    for (const name of ["eve", "ada", "bob", "cy", "dan"]) await makeUser(f, `${name}@example.com`);
    await makeUser(f, "ada@other.org");
    const first = await listUsers(f.t.db, { limit: 2 });
    expect(first.items.map((u) => u.email)).toEqual(["ada@example.com", "ada@other.org"]);
    const second = await listUsers(f.t.db, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((u) => u.email)).toEqual(["bob@example.com", "cy@example.com"]);
    const searched = await listUsers(f.t.db, { q: "ADA", limit: 1 });
    expect(searched.items.map((u) => u.email)).toEqual(["ada@example.com"]);
    expect((await listUsers(f.t.db, { q: "ada", limit: 1, cursor: searched.nextCursor })).items.map((u) => u.email)).toEqual(["ada@other.org"]);
  });

  it("sessions and audit events, newest first, paged", async () => {
    const user = await makeUser(f, "s@example.com");
    for (let i = 0; i < 3; i++) await makeSession(f, user.id, `203.0.113.${i}`);
    const sessions = await listSessions(f.t.db, f.clock, { limit: 2 });
    const rest = await listSessions(f.t.db, f.clock, { limit: 2, cursor: sessions.nextCursor });
    expect([...sessions.items, ...rest.items].map((s) => s.ipAddress).sort()).toEqual(["203.0.113.0", "203.0.113.1", "203.0.113.2"]);
    expect(rest.nextCursor).toBeNull();

    const at = Date.now();
    for (let i = 0; i < 5; i++) await f.t.db.auditEvent.create({ data: { at: new Date(at + (i % 2) * 1000), actorEmail: "x@example.com", action: `a${i}`, targetType: "t" } });
    const pages = [await listAudit(f.t.db, { limit: 2 })];
    while (pages.at(-1)!.nextCursor) pages.push(await listAudit(f.t.db, { limit: 2, cursor: pages.at(-1)!.nextCursor }));
    const items = pages.flatMap((p) => p.items);
    expect(items).toHaveLength(5);
    expect(new Set(items.map((i) => i.id)).size).toBe(5);
    expect(items.slice(0, 2).map((i) => i.action).sort()).toEqual(["a1", "a3"]);
  });

  it("projects with usage: live and total tickets, last key use, never the key hash", async () => {
    const project = await f.t.db.apiProject.create({ data: { name: "crm", keys: { create: { keyHash: "f".repeat(64), prefix: "tg_fffffff", lastUsedAt: new Date(1_700_000_000_000) } } } });
    await issue(f, { email: null, type: "api", projectId: project.id });
    await issue(f, { email: null, type: "api", projectId: project.id, ttlSeconds: 1 });
    f.clock.advance(5_000);
    const [listed] = await listProjects(f.t.db, f.deps.tickets);
    expect(listed!.usage).toEqual({ live: 1, total: 2, lastKeyUse: new Date(1_700_000_000_000) });
    expect(JSON.stringify(listed)).not.toContain("f".repeat(64));
  });

  it("a ticket's page: its effective state and history from the core, with its account and API project", async () => {
    const user = await makeUser(f, "owner@example.com");
    const mine = await issue(f, { email: "owner@example.com", userId: user.id, ttlSeconds: 60 });
    f.clock.advance(120_000);
    const detail = await ticketDetail(f.t.db, f.deps.tickets, mine.record.id);
    expect(detail).toMatchObject({ ticket: { id: mine.record.id, status: "expired", email: "owner@example.com" }, user: { id: user.id, email: "owner@example.com" }, project: null });
    expect(detail!.events.map((e) => e.kind)).toEqual(["issued"]);

    const project = await f.t.db.apiProject.create({ data: { name: "crm" } });
    const api = await issue(f, { email: null, type: "api", projectId: project.id });
    expect(await ticketDetail(f.t.db, f.deps.tickets, api.record.id)).toMatchObject({ ticket: { type: "api" }, user: null, project: { id: project.id, name: "crm" } });
    expect(await ticketDetail(f.t.db, f.deps.tickets, "no-such-ticket")).toBeNull();
  });

  it("project names for the ticket filter, by name", async () => {
    const zeta = await f.t.db.apiProject.create({ data: { name: "zeta" } });
    const alpha = await f.t.db.apiProject.create({ data: { name: "alpha", keys: { create: { keyHash: "e".repeat(64), prefix: "tg_eeeeeee" } } } });
    expect(await projectNames(f.t.db)).toEqual([
      { id: alpha.id, name: "alpha" },
      { id: zeta.id, name: "zeta" },
    ]);
  });
});
