// The ticket page's server actions, run for real on a database (only the
// request headers and cookie jar come from the test, as Next supplies them):
// Cancel when a ticket is posted to another type's form, and a reset that
// signs out every old session and opens a brand-new one in this browser.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type * as TicketActions from "@/app/ticket/[id]/actions";
import { sessionTokenHash } from "@/lib/sessions/sessions";
import type * as Runtime from "@/lib/runtime";

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
    a = await import("@/app/ticket/[id]/actions");
    runtime = (await import("@/lib/runtime")).runtime;
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(() => {
    requestHeaders = new Headers({ origin: APP_URL, "user-agent": "vitest" });
    jar.clear();
  });

  it("Cancel: a password reset ticket pressed on the sign-in button is cancelled, nobody signed in, its requester told", async () => {
    const user = await t.db.user.create({ data: { email: "misuse@example.com" } });
    const issued = await runtime().tickets.issue({ type: "password_reset", email: user.email, userId: user.id, ttlSeconds: 3600, uses: 1 });
    if (!issued.ok) throw new Error(issued.error.message);
    const state = await a.confirmTicketAction({ status: "idle" }, form({ ticket: issued.value.ticket }));
    expect(state).toMatchObject({ status: "problem", problem: { kind: "misused" } });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: issued.value.record.id } })).state).toBe("revoked");
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(jar.size).toBe(0);
    expect(await t.db.mailMessage.findMany({ where: { recipient: user.email } })).toEqual([expect.objectContaining({ template: "ticket-cancelled" })]);
    // Pressing it again: no longer open, so an ordinary refusal.
    expect(await a.confirmTicketAction({ status: "idle" }, form({ ticket: issued.value.ticket }))).toMatchObject({ status: "problem", problem: { kind: "revoked" } });
  });

  it("reset through the form: old sessions are gone, this browser gets a new one and lands on /account", async () => {
    const user = await t.db.user.create({ data: { email: "reset@example.com" } });
    await t.db.session.create({ data: { userId: user.id, sessionToken: sessionTokenHash("old-session"), expires: new Date(Date.now() + 86_400_000) } });
    const issued = await runtime().tickets.issue({ type: "password_reset", email: user.email, userId: user.id, ttlSeconds: 3600, uses: 1 });
    if (!issued.ok) throw new Error(issued.error.message);

    expect(await a.resetPasswordAction({ status: "idle" }, form({ ticket: issued.value.ticket, password: "short", confirm: "short" }))).toMatchObject({ status: "invalid", field: "password" });
    const target = await redirectOf(a.resetPasswordAction({ status: "idle" }, form({ ticket: issued.value.ticket, password: "a new long password", confirm: "a new long password" })));
    expect(target).toBe("/account?password=reset");
    const cookie = jar.get("__Host-authjs.session-token");
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessions = await t.db.session.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => s.sessionToken)).toEqual([sessionTokenHash(cookie!)]);
  });
});
