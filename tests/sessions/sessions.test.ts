// Opening and ending sessions (lib/sessions/sessions.ts) on real databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createSession,
  invalidateSession,
  invalidateUserSession,
  invalidateUserSessions,
  invalidateUserSessionsExcept,
  listUserSessions,
  sessionTokenHash,
} from "@/lib/sessions/sessions";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

describe.each(engines)("sessions on %s", (engine) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const expires = () => new Date(Date.now() + 86_400_000);
  async function userWithSessions(count: number) {
    const user = await t.db.user.create({ data: { email: `sessions-${++n}@example.com` } });
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push((await createSession(t.db, user.id, expires(), { ip: "192.0.2.1", userAgent: "Firefox" }))!);
    return { userId: user.id, tokens };
  }
  const left = async (userId: string) => (await t.db.session.findMany({ where: { userId }, select: { sessionToken: true } })).map((s) => s.sessionToken).sort();

  it('rule "Sessions are server-side rows": a session is a row keyed by the hash of its cookie, never the cookie itself', async () => {
    const { userId, tokens } = await userWithSessions(1);
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await left(userId)).toEqual([sessionTokenHash(tokens[0]!)]);
    expect(JSON.stringify(await t.raw("SELECT * FROM sessions"))).not.toContain(tokens[0]);
    expect(await t.db.session.findFirst({ where: { userId } })).toMatchObject({ ipAddress: "192.0.2.1", userAgent: "Firefox" });
  });

  it("a disabled account (or one that is gone) gets no session", async () => {
    const user = await t.db.user.create({ data: { email: `sessions-${++n}@example.com`, disabled: true } });
    expect(await createSession(t.db, user.id, expires(), {})).toBeNull();
    expect(await createSession(t.db, "no-such-user", expires(), {})).toBeNull();
    expect(await left(user.id)).toEqual([]);
  });

  it("signing out ends that browser's session only", async () => {
    const { userId, tokens } = await userWithSessions(2);
    await invalidateSession(t.db, tokens[0]!);
    expect(await left(userId)).toEqual([sessionTokenHash(tokens[1]!)]);
  });

  it("ending one session by id needs it to be the person's own", async () => {
    const owner = await userWithSessions(1);
    const stranger = await userWithSessions(1);
    const [row] = await t.db.session.findMany({ where: { userId: owner.userId } });
    expect(await invalidateUserSession(t.db, stranger.userId, row!.id)).toBe(0);
    expect(await left(owner.userId)).toHaveLength(1);
    expect(await invalidateUserSession(t.db, owner.userId, row!.id)).toBe(1);
    expect(await left(owner.userId)).toEqual([]);
  });

  it('rule "Credentials end together": every session of the person ends, or every one but this browser\'s, and nobody else\'s', async () => {
    const person = await userWithSessions(3);
    const other = await userWithSessions(1);
    expect(await invalidateUserSessionsExcept(t.db, person.userId, sessionTokenHash(person.tokens[1]!))).toBe(2);
    expect(await left(person.userId)).toEqual([sessionTokenHash(person.tokens[1]!)]);
    expect(await invalidateUserSessionsExcept(t.db, person.userId, null)).toBe(1);
    expect(await left(person.userId)).toEqual([]);

    const again = await userWithSessions(2);
    expect(await invalidateUserSessions(t.db, again.userId)).toBe(2);
    expect(await left(again.userId)).toEqual([]);
    expect(await left(other.userId)).toHaveLength(1);
  });

  it("inside a transaction, sessions end only if the transaction commits", async () => {
    const { userId } = await userWithSessions(2);
    await expect(
      t.db.$transaction(async (tx) => {
        expect(await invalidateUserSessions(tx, userId)).toBe(2);
        throw new Error("the change that required it failed");
      }),
    ).rejects.toThrow("failed");
    expect(await left(userId)).toHaveLength(2);
    await t.db.$transaction(async (tx) => invalidateUserSessionsExcept(tx, userId, null));
    expect(await left(userId)).toEqual([]);
  });

  it("lists the person's sessions that are live at the given time, newest first, and nobody else's", async () => {
    const now = new Date("2030-01-10T12:00:00Z");
    const person = await t.db.user.create({ data: { email: `sessions-${++n}@example.com` } });
    const other = await t.db.user.create({ data: { email: `sessions-${++n}@example.com` } });
    const row = (userId: string, createdAt: string, expires: string, ipAddress: string) =>
      t.db.session.create({ data: { sessionToken: `hash-${++n}`, userId, createdAt: new Date(createdAt), expires: new Date(expires), ipAddress, userAgent: "Firefox" } });
    await row(person.id, "2030-01-01T00:00:00Z", "2030-01-20T00:00:00Z", "198.51.100.1");
    await row(person.id, "2030-01-05T00:00:00Z", "2030-01-10T12:00:00Z", "198.51.100.2");
    await row(person.id, "2030-01-09T00:00:00Z", "2030-01-30T00:00:00Z", "198.51.100.3");
    await row(other.id, "2030-01-08T00:00:00Z", "2030-01-30T00:00:00Z", "203.0.113.9");
    const listed = await listUserSessions(t.db, person.id, now);
    expect(listed.map((s) => s.ipAddress)).toEqual(["198.51.100.3", "198.51.100.1"]);
    expect(listed[0]).toMatchObject({ userAgent: "Firefox", createdAt: new Date("2030-01-09T00:00:00Z") });
    expect((await listUserSessions(t.db, person.id, new Date("2030-01-25T00:00:00Z"))).map((s) => s.ipAddress)).toEqual(["198.51.100.3"]);
    expect((await listUserSessions(t.db, other.id, now)).map((s) => s.ipAddress)).toEqual(["203.0.113.9"]);
  });
});
