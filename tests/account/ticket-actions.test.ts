// The ticket page's server actions, run for real on a database (only the
// request headers and cookie jar come from the test, as Next supplies them):
// Cancel when a ticket is posted to another type's form, a reset that signs
// out every old session and opens a brand-new one in this browser, and a
// browser that did not ask, whose presses spend and change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type * as TicketActions from "@/app/_components/ticket/actions";
import { newSecret } from "@/lib/secrets";
import { sessionTokenHash } from "@/lib/sessions/sessions";
import type * as Runtime from "@/lib/runtime";
import { bindTicket } from "@/lib/sign-in/binding";
import type { TicketType } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase } from "../support/databases";

const APP_URL = "https://auth.example.com";
let requestHeaders = new Headers();
const jar = new Map<string, string>();

vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/sessions/auth.server", async () => {
  const { sessionCookieFor } = await import("@/lib/sessions/session-token");
  return { auth: async () => null, sessionCookie: () => sessionCookieFor(APP_URL), handlers: {} };
});

let t: TestDatabase;
let a: typeof TicketActions;
let runtime: typeof Runtime.runtime;
let BROWSER_COOKIE: string;
const SESSION_COOKIE = "__Host-authjs.session-token";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

/** next/navigation's redirect() throws; its digest carries the target. */
async function redirectOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (!digest.startsWith("NEXT_REDIRECT")) throw error;
    return digest.split(";")[2] ?? null;
  }
}

describe("ticket page actions", () => {
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = t.url;
    process.env.APP_URL = APP_URL;
    process.env.OUTBOX_DIR = `${t.url.slice("file:".length)}-outbox`;
    a = await import("@/app/_components/ticket/actions");
    runtime = (await import("@/lib/runtime")).runtime;
    ({ BROWSER_COOKIE } = await import("@/lib/sign-in/browser.server"));
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(() => {
    requestHeaders = new Headers({ origin: APP_URL, "user-agent": "vitest" });
    jar.clear();
  });

  /** A ticket of `type`, asked for by a browser whose cookie is returned (decision 15: only it may press). */
  async function askedTicket(type: TicketType, email: string, extra: { userId?: string; payload?: unknown } = {}) {
    const issued = await runtime().tickets.issue({ type, email, ttlSeconds: 3600, uses: 1, ...extra });
    if (!issued.ok) throw new Error(issued.error.message);
    const browser = newSecret();
    const { db, tickets, config } = runtime();
    await bindTicket({ db, tickets, config }, { ticketId: issued.value.record.id, kind: type, browser, expiresAt: issued.value.record.expiresAt! });
    return { ...issued.value, browser };
  }

  /** This test's browser is the one whose cookie is `browser`. */
  function asBrowser(browser: string) {
    jar.clear();
    jar.set(BROWSER_COOKIE, browser);
  }

  it("Cancel: a password reset ticket pressed on the sign-in button is cancelled, nobody signed in, its requester told", async () => {
    const user = await t.db.user.create({ data: { email: "misuse@example.com" } });
    const issued = await askedTicket("password_reset", user.email, { userId: user.id });
    // Pressed in the browser that asked for it: anywhere else nothing would be done at all (see below).
    asBrowser(issued.browser);
    const state = await a.confirmTicketAction({ status: "idle" }, form({ ticket: issued.ticket }));
    expect(state).toMatchObject({ status: "problem", problem: { kind: "misused" } });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: issued.record.id } })).state).toBe("revoked");
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect([...jar.keys()]).toEqual([BROWSER_COOKIE]);
    expect(await t.db.mailMessage.findMany({ where: { recipient: user.email } })).toEqual([expect.objectContaining({ template: "ticket-cancelled" })]);
    // Pressing it again: no longer open, so an ordinary refusal.
    expect(await a.confirmTicketAction({ status: "idle" }, form({ ticket: issued.ticket }))).toMatchObject({ status: "problem", problem: { kind: "revoked" } });
  });

  it("reset through the form: old sessions are gone, this browser gets a new one and lands on /account", async () => {
    const user = await t.db.user.create({ data: { email: "reset@example.com" } });
    await t.db.session.create({ data: { userId: user.id, sessionToken: sessionTokenHash("old-session"), expires: new Date(Date.now() + 86_400_000) } });
    const issued = await askedTicket("password_reset", user.email, { userId: user.id });
    asBrowser(issued.browser);

    expect(await a.resetPasswordAction({ status: "idle" }, form({ ticket: issued.ticket, password: "short", confirm: "short" }))).toMatchObject({ status: "invalid", field: "password" });
    const target = await redirectOf(a.resetPasswordAction({ status: "idle" }, form({ ticket: issued.ticket, password: "a new long password", confirm: "a new long password" })));
    expect(target).toBe("/account?password=reset");
    const cookie = jar.get(SESSION_COOKIE);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessions = await t.db.session.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => s.sessionToken)).toEqual([sessionTokenHash(cookie!)]);
  });

  it('rule "Mail scanners click": a browser that did not ask presses every ticket button and nothing is spent or changed; the asker still can', async () => {
    const user = await t.db.user.create({ data: { email: "scanned@example.com" } });
    const login = await askedTicket("login", user.email, { userId: user.id });
    const reset = await askedTicket("password_reset", user.email, { userId: user.id });
    const signup = await askedTicket("new_account", "scanned-new@example.com");
    const change = await askedTicket("email_change_new", "scanned-changed@example.com", { userId: user.id, payload: { oldEmail: user.email, newEmail: "scanned-changed@example.com" } });
    // A ticket from before bindings existed: bound to no browser, so no press alone may spend it either.
    const legacy = await runtime().tickets.issue({ type: "login", email: user.email, userId: user.id, ttlSeconds: 3600, uses: 1 });
    if (!legacy.ok) throw new Error(legacy.error.message);
    const password = { password: "a scanner's password", confirm: "a scanner's password" };

    // A scanner with a cookie of its own, and one with none.
    for (const browser of [newSecret(), null]) {
      jar.clear();
      if (browser) jar.set(BROWSER_COOKIE, browser);
      const answers = [
        await a.confirmTicketAction({ status: "idle" }, form({ ticket: login.ticket })),
        await a.confirmTicketAction({ status: "idle" }, form({ ticket: legacy.value.ticket })),
        await a.resetPasswordAction({ status: "idle" }, form({ ticket: reset.ticket, ...password })),
        await a.confirmSignupAction({ status: "idle" }, form({ ticket: signup.ticket, ...password })),
        await a.confirmEmailChangeAction({ status: "idle" }, form({ ticket: change.ticket })),
        // The asking browser's own request, continued: this browser has none approved.
        await a.confirmTicketAction({ status: "idle" }, form({})),
      ];
      for (const answer of answers) expect(answer).toMatchObject({ status: "message", tone: "error", message: expect.stringContaining("Nothing was done") });
      // The number form with the value a scanner finds there (none): no try is spent on it.
      expect(await a.approveAction({ status: "idle" }, form({ ticket: login.ticket, number: "", intent: "here" }))).toMatchObject({ status: "message", tone: "error" });
      expect(jar.has(SESSION_COOKIE)).toBe(false);
    }
    const ids = [login, reset, signup, change].map((x) => x.record.id).concat(legacy.value.record.id);
    expect(await t.db.ticket.findMany({ where: { id: { in: ids } }, select: { state: true, usesLeft: true } })).toEqual(ids.map(() => ({ state: "open", usesLeft: 1 })));
    expect(await t.db.ticketBinding.findMany({ where: { ticketId: { in: ids } }, select: { approvalAttemptsLeft: true, approvedAt: true } })).toEqual([login, reset, signup, change].map(() => ({ approvalAttemptsLeft: 3, approvedAt: null })));
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: user.email, passwordHash: null });
    expect(await t.db.user.count({ where: { email: "scanned-new@example.com" } })).toBe(0);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);

    // The person's own browser: one press, as before.
    asBrowser(login.browser);
    expect(await redirectOf(a.confirmTicketAction({ status: "idle" }, form({ ticket: login.ticket })))).toBe("/account");
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
