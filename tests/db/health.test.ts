// GET /api/health's report on real databases: the mail queue as operators need it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkHealth } from "@/lib/health";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

describe.each(engines)("health on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it("counts mail that is due (pending or stuck sending), failed for good, and how late the oldest due one is", async () => {
    const now = new Date("2026-11-24T12:00:00.000Z");
    expect(await checkHealth(t.db, engine, now, { timeoutMs: 30_000 })).toEqual({ status: "ok", database: { engine, reachable: true }, mail: { due: 0, failed: 0, oldestDueSeconds: null } });
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    await t.db.mailMessage.createMany({
      data: [
        { recipient: "a@example.com", template: "t", sealed: "x", state: "pending", nextAttemptAt: at(-90) },
        { recipient: "b@example.com", template: "t", sealed: "x", state: "sending", nextAttemptAt: at(-10) },
        { recipient: "c@example.com", template: "t", sealed: "x", state: "pending", nextAttemptAt: at(+60) },
        { recipient: "d@example.com", template: "t", sealed: "", state: "failed", nextAttemptAt: at(-900) },
        { recipient: "e@example.com", template: "t", sealed: "", state: "sent", nextAttemptAt: at(-900) },
      ],
    });
    expect((await checkHealth(t.db, engine, now, { timeoutMs: 30_000 })).mail).toEqual({ due: 2, failed: 1, oldestDueSeconds: 90 });
  });
});
