// Optional passwords and password sign-in on real databases: argon2id at rest,
// one answer for every kind of failure, failures throttled per address and per
// client without locking the owner out of mailed links.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { authenticateApiToken, createApiToken } from "@/lib/account/api-tokens";
import { checkPasswordSignIn, setPassword } from "@/lib/account/passwords";
import { hashPassword, verifyPassword } from "@/lib/account/password";
import { issueLoginLink } from "@/lib/sign-in/link";
import { createActionPathRegistry } from "@/lib/tickets";

import { type Harness, actor, address, clean, createHarness } from "./harness";
import { injectFailure } from "../db/inject-failure";
import { engines } from "../support/databases";

const PASSWORD = "correct horse battery";

describe.each(engines)("passwords on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => clean(h));

  async function userWithPassword(label: string, password: string | null = PASSWORD) {
    const email = address(label);
    const user = await h.t.db.user.create({ data: { email, passwordHash: password ? await hashPassword(password) : null } });
    return { email, id: user.id };
  }

  async function session(userId: string, token: string) {
    await h.t.db.session.create({ data: { userId, sessionToken: token, expires: new Date(Date.now() + 86_400_000) } });
  }

  it("stores argon2id, never the password", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(hash).not.toContain(PASSWORD);
    expect(await verifyPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, `${PASSWORD}!`)).toBe(false);
    expect(await verifyPassword("not a hash", PASSWORD)).toBe(false);
  });

  it("signs in with the right password", async () => {
    const { email, id } = await userWithPassword("right");
    expect(await checkPasswordSignIn(h.deps, email, PASSWORD, actor)).toEqual({ status: "ok", userId: id });
  });

  it("rule \"Same answer, status and headers for known and unknown addresses\": unknown address, no password set, disabled account and wrong password get one answer", async () => {
    const withPassword = await userWithPassword("known");
    const without = await userWithPassword("linkonly", null);
    const disabled = await userWithPassword("disabled");
    await h.t.db.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    const answers = [
      await checkPasswordSignIn(h.deps, withPassword.email, "wrong password!", actor),
      await checkPasswordSignIn(h.deps, without.email, PASSWORD, actor),
      await checkPasswordSignIn(h.deps, disabled.email, PASSWORD, actor),
      await checkPasswordSignIn(h.deps, address("nobody"), PASSWORD, actor),
    ];
    expect(answers).toEqual([{ status: "wrong" }, { status: "wrong" }, { status: "wrong" }, { status: "wrong" }]);
  });

  it("rule \"Same answer … for known and unknown addresses\", by timing: an unknown address still pays for one argon2 verification", async () => {
    const { email } = await userWithPassword("timing");
    const time = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    await checkPasswordSignIn(h.deps, address("warm"), "x", actor); // builds the dummy hash once
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(() => checkPasswordSignIn(h.deps, email, "wrong password!", { ip: null })));
      unknown.push(await time(() => checkPasswordSignIn(h.deps, address("ghost"), "wrong password!", { ip: null })));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    // argon2 with these settings takes tens of milliseconds; a skipped verification would take ~1 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it("rule \"Rate limits per address and per client IP, shared across instances (kept in the database)\": throttles failures per address; after the budget even the right password waits, and the mailed link still works", async () => {
    const { email } = await userWithPassword("throttled");
    for (let i = 0; i < h.config.PASSWORD_MAX_FAILURES; i++) expect((await checkPasswordSignIn(h.deps, email, `guess ${i}`, { ip: `198.51.100.${i}` })).status).toBe("wrong");
    const refused = await checkPasswordSignIn(h.deps, email, PASSWORD, { ip: "203.0.113.9" });
    expect(refused).toMatchObject({ status: "throttled" });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Not a lock-out: a sign-in link is still issued for the address.
    const link = await issueLoginLink(
      { db: h.t.db, tickets: h.deps.tickets, actionPaths: createActionPathRegistry(["account"]), sealMail: h.deps.sealMail, mailQueued: () => {}, config: { APP_URL: h.config.APP_URL, SIGNUP: "open", LOGIN_TICKET_TTL_MINUTES: 15 } },
      email,
      null,
      actor,
    );
    expect(link.ticketId).not.toBeNull();
    // The window ends: the owner's password works again.
    h.clock.advance(h.config.PASSWORD_FAILURE_WINDOW_MINUTES * 60_000 + 1000);
    expect((await checkPasswordSignIn(h.deps, email, PASSWORD, actor)).status).toBe("ok");
  });

  it("an unknown address is throttled the same way (the throttle tells nothing either)", async () => {
    const email = address("ghost");
    for (let i = 0; i < h.config.PASSWORD_MAX_FAILURES; i++) await checkPasswordSignIn(h.deps, email, `guess ${i}`, actor);
    expect((await checkPasswordSignIn(h.deps, email, "anything", actor)).status).toBe("throttled");
  });

  it("rule \"Rate limits per address and per client IP\": throttles failures per client address across accounts", async () => {
    h.config.PASSWORD_MAX_FAILURES_PER_IP = 3;
    const ip = { ip: "203.0.113.50" };
    for (let i = 0; i < 3; i++) expect((await checkPasswordSignIn(h.deps, address("spray"), "guess", ip)).status).toBe("wrong");
    const { email } = await userWithPassword("victim");
    expect((await checkPasswordSignIn(h.deps, email, PASSWORD, ip)).status).toBe("throttled");
    // Another client is not affected.
    expect((await checkPasswordSignIn(h.deps, email, PASSWORD, { ip: "203.0.113.51" })).status).toBe("ok");
  });

  it("right passwords do not use up the budget (only failures count)", async () => {
    const { email } = await userWithPassword("often");
    for (let i = 0; i < h.config.PASSWORD_MAX_FAILURES + 3; i++) expect((await checkPasswordSignIn(h.deps, email, PASSWORD, actor)).status).toBe("ok");
  });

  it("parallel guesses cannot get past the budget: at most PASSWORD_MAX_FAILURES are checked", async () => {
    const { email } = await userWithPassword("parallel");
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => checkPasswordSignIn(h.deps, email, `guess ${i}`, { ip: `198.51.100.${i}` })));
    expect(outcomes.filter((o) => o.status === "wrong")).toHaveLength(h.config.PASSWORD_MAX_FAILURES);
    expect(outcomes.filter((o) => o.status === "throttled")).toHaveLength(16 - h.config.PASSWORD_MAX_FAILURES);
  });

  it("a first password needs no current one; the owner is told; other sessions end, this one stays", async () => {
    const { email, id } = await userWithPassword("first", null);
    await session(id, "this-session");
    await session(id, "other-session");
    const outcome = await setPassword(h.deps, id, { password: PASSWORD, confirm: PASSWORD }, "this-session", actor);
    expect(outcome).toEqual({ status: "saved", how: "set" });
    expect(await verifyPassword((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash, PASSWORD)).toBe(true);
    expect((await h.t.db.session.findMany({ where: { userId: id } })).map((s) => s.sessionToken)).toEqual(["this-session"]);
    const [mail] = await h.mails();
    expect(mail).toMatchObject({ to: email, template: "password-changed", subject: "A password was set for Ticketgate" });
    expect(mail!.text).toContain("192.0.2.5");
  });

  it('rule "Credentials end together": changing the password on the account page revokes every personal API token, and the notice says how many', async () => {
    const { email, id } = await userWithPassword("tokens");
    await session(id, `this-${id}`);
    const created = await createApiToken(h.t.db, id, "ci");
    if (created.status !== "created") throw new Error("no token");
    expect(await authenticateApiToken(h.t.db, created.token, null)).toEqual({ userId: id });
    expect(await setPassword(h.deps, id, { current: PASSWORD, password: "a brand new password", confirm: "a brand new password" }, `this-${id}`, actor)).toEqual({ status: "saved", how: "changed" });
    expect(await authenticateApiToken(h.t.db, created.token, null)).toBeNull();
    const [mail] = await h.mails();
    expect(mail).toMatchObject({ to: email, template: "password-changed" });
    expect(mail!.text).toContain("1 personal API token of yours was revoked");
  });

  it('rule "Bad input gets a clear 4xx, never a 500 and never a half-written row": a password change whose notice cannot be queued changes nothing', async () => {
    const { id } = await userWithPassword("atomic");
    await session(id, `other-${id}`);
    const created = await createApiToken(h.t.db, id, "ci");
    if (created.status !== "created") throw new Error("no token");
    const restore = await injectFailure(h.t, "INSERT", "mail_messages");
    try {
      await expect(setPassword(h.deps, id, { current: PASSWORD, password: "a brand new password", confirm: "a brand new password" }, null, actor)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await verifyPassword((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash, PASSWORD)).toBe(true);
    expect(await h.t.db.session.count({ where: { userId: id } })).toBe(1);
    expect(await authenticateApiToken(h.t.db, created.token, null)).toEqual({ userId: id });
  });

  it("changing a password needs the current one", async () => {
    const { id } = await userWithPassword("change");
    expect(await setPassword(h.deps, id, { current: "not it at all", password: "a brand new password", confirm: "a brand new password" }, null, actor)).toEqual({ status: "wrong-current" });
    expect(await setPassword(h.deps, id, { password: "a brand new password", confirm: "a brand new password" }, null, actor)).toEqual({ status: "wrong-current" });
    expect(await setPassword(h.deps, id, { current: PASSWORD, password: "a brand new password", confirm: "a brand new password" }, null, actor)).toEqual({ status: "saved", how: "changed" });
    expect(await verifyPassword((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash, "a brand new password")).toBe(true);
  });

  it("refuses too short, too long and mismatched passwords, changing nothing", async () => {
    const { id } = await userWithPassword("policy", null);
    expect(await setPassword(h.deps, id, { password: "short", confirm: "short" }, null, actor)).toMatchObject({ status: "invalid", field: "password", message: "Use at least 10 characters" });
    const long = "x".repeat(201);
    expect(await setPassword(h.deps, id, { password: long, confirm: long }, null, actor)).toMatchObject({ status: "invalid", field: "password" });
    expect(await setPassword(h.deps, id, { password: PASSWORD, confirm: `${PASSWORD}.` }, null, actor)).toMatchObject({ status: "invalid", field: "confirm" });
    expect(await setPassword(h.deps, id, { password: ["a", "b"], confirm: PASSWORD }, null, actor)).toMatchObject({ status: "invalid" });
    expect((await h.t.db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
    expect(await h.mails()).toEqual([]);
  });
});
