// rule "Cross-site requests change nothing": every state-changing server action
// refuses a request whose Origin is not APP_URL before it touches anything.
// The actions run for real (database, tickets, outbox); only the request
// headers are supplied by the test, as Next would supply them.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type * as AccountActions from "@/app/account/actions";
import type * as LoginActions from "@/app/login/actions";
import type * as ResetActions from "@/app/reset/actions";
import type * as SignupActions from "@/app/signup/actions";
import type * as TicketActions from "@/app/_components/ticket/actions";
import { newSecret } from "@/lib/secrets";
import { bindTicket } from "@/lib/sign-in/binding";
import { BROWSER_COOKIE } from "@/lib/sign-in/browser.server";

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
// next-auth's ESM entry does not load under vitest's Node resolution; nobody is signed in here anyway.
vi.mock("@/lib/sessions/auth.server", async () => {
  const { sessionCookieFor } = await import("@/lib/sessions/session-token");
  return { auth: async () => null, sessionCookie: () => sessionCookieFor(APP_URL), handlers: {} };
});

let t: TestDatabase;
type Actions = typeof AccountActions & typeof LoginActions & typeof ResetActions & typeof SignupActions & typeof TicketActions;
let a: Actions;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

async function counts() {
  return {
    mail: await t.db.mailMessage.count(),
    buckets: await t.db.rateLimitBucket.count(),
    tickets: await t.db.ticket.count({ where: { state: { not: "open" } } }),
    users: await t.db.user.count(),
    tokens: await t.db.personalApiToken.count(),
    liveTokens: await t.db.personalApiToken.count({ where: { revokedAt: null } }),
    bindings: await t.db.ticketBinding.count(),
    tries: (await t.db.ticketBinding.aggregate({ _sum: { approvalAttemptsLeft: true, codeAttemptsLeft: true } }))._sum,
  };
}

describe("cross-site POSTs to the account actions", () => {
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = t.url;
    process.env.APP_URL = APP_URL;
    process.env.OUTBOX_DIR = `${t.url.slice("file:".length)}-outbox`;
    a = {
      ...(await import("@/app/_components/ticket/actions")),
      ...(await import("@/app/login/actions")),
      ...(await import("@/app/account/actions")),
      ...(await import("@/app/reset/actions")),
      ...(await import("@/app/signup/actions")),
    };
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(() => {
    requestHeaders = new Headers({ origin: "https://evil.example", "user-agent": "attacker" });
    jar.clear();
  });

  it("refuses every form with a foreign Origin, and one with no Origin, changing nothing", async () => {
    const user = await t.db.user.create({ data: { email: "victim@example.com" } });
    const { runtime } = await import("@/lib/runtime");
    const reset = await runtime().tickets.issue({ type: "password_reset", email: user.email, userId: user.id, ttlSeconds: 3600, uses: 1 });
    if (!reset.ok) throw new Error(reset.error.message);
    const ticket = reset.value.ticket;
    // Sent from the very browser that asked for the ticket (decision 15), so only the Origin check stands in the way.
    const browser = newSecret();
    const { db, tickets, config } = runtime();
    await bindTicket({ db, tickets, config }, { ticketId: reset.value.record.id, kind: "password_reset", browser, code: "K7PDM3QX", expiresAt: reset.value.record.expiresAt! });
    jar.set(BROWSER_COOKIE, browser);
    const token = await t.db.personalApiToken.create({ data: { userId: user.id, name: "theirs", tokenHash: "v".repeat(64), prefix: "tgp_victim" } });
    const before = await counts();
    const password = { password: "attacker chosen password", confirm: "attacker chosen password" };

    // A foreign origin, none at all, a scheme look-alike, and `null` without (or against) the browser's Sec-Fetch-Site.
    const refused: Record<string, string>[] = [{ origin: "https://evil.example" }, {}, { origin: "http://auth.example.com" }, { origin: "null" }, { origin: "null", "sec-fetch-site": "cross-site" }];
    for (const sent of refused) {
      requestHeaders = new Headers(sent);
      const answers = [
        await a.requestResetAction({ status: "idle" }, form({ email: user.email })),
        await a.requestSignupAction({ status: "idle" }, form({ email: "new@example.com" })),
        await a.passwordSignInAction({ status: "idle" }, form({ email: user.email, password: "guess guess" })),
        await a.resetPasswordAction({ status: "idle" }, form({ ticket, ...password })),
        await a.confirmSignupAction({ status: "idle" }, form({ ticket, ...password })),
        await a.confirmEmailChangeAction({ status: "idle" }, form({ ticket })),
        await a.cancelEmailChangeAction({ status: "idle" }, form({ ticket, code: "K7PD-M3QX" })),
        await a.confirmTicketAction({ status: "idle" }, form({ ticket })),
        await a.freshLinkAction({ status: "idle" }, form({ ticket })),
        await a.approveAction({ status: "idle" }, form({ ticket, number: "1234", intent: "approve" })),
        await a.approveAction({ status: "idle" }, form({ ticket, number: "1234", intent: "here" })),
        await a.linkHereAction({ status: "idle" }, form({ ticket, email: user.email })),
        await a.setPasswordAction({ status: "idle" }, form(password)),
        await a.requestEmailChangeAction({ status: "idle" }, form({ email: "attacker@example.com" })),
        await a.createApiTokenAction({ status: "idle" }, form({ name: "stolen" })),
      ];
      for (const answer of answers) expect(JSON.stringify(answer)).toMatch(/only (be sent from|works on) this site/);
      // The buttons without an answer do nothing at all (no error page either).
      await expect(a.withdrawEmailChangeAction(form({}))).resolves.toBeUndefined();
      await expect(a.revokeApiTokenAction(form({ id: token.id }))).resolves.toBeUndefined();
      await expect(a.reportTicketAction(form({ id: reset.value.record.id }))).resolves.toBeUndefined();
    }
    expect(await counts()).toEqual(before);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: reset.value.record.id } })).usesLeft).toBe(1);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
    expect(await t.db.ticketBinding.findUniqueOrThrow({ where: { ticketId: reset.value.record.id } })).toMatchObject({ approvalAttemptsLeft: 3, codeAttemptsLeft: 5, approvedAt: null });
    expect(jar.get(BROWSER_COOKIE)).toBe(browser);
  });

  it("the same request from APP_URL goes through (so the refusal above is the Origin check)", async () => {
    requestHeaders = new Headers({ origin: APP_URL });
    const before = await counts();
    expect(await a.requestResetAction({ status: "idle" }, form({ email: "nobody@example.com" }))).toMatchObject({ status: "sent" });
    expect((await counts()).buckets).toBeGreaterThan(before.buckets);
  });

  it("Origin: null goes through when the browser says Sec-Fetch-Site: same-origin (a page whose Referrer-Policy hides the origin)", async () => {
    requestHeaders = new Headers({ origin: "null", "sec-fetch-site": "same-origin" });
    const before = await counts();
    expect(await a.requestResetAction({ status: "idle" }, form({ email: "someone@example.com" }))).toMatchObject({ status: "sent" });
    expect((await counts()).buckets).toBeGreaterThan(before.buckets);
  });
});
