// The admin view of the mail outbox on real databases: counts, lateness, and
// failed-for-good mail paged newest first without skipping or repeating.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listMail, mailOverview } from "@/lib/admin/mail";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

describe.each(engines)("the outbox for administrators on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it("counts each state and pages failed mail newest first, with the relay's last answer and no body", async () => {
    const now = new Date("2026-11-24T12:00:00.000Z");
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    await t.db.mailMessage.createMany({
      data: [
        { recipient: "due@example.com", template: "login-link", sealed: "x", state: "pending", nextAttemptAt: at(-3) },
        { recipient: "later@example.com", template: "login-link", sealed: "x", state: "pending", nextAttemptAt: at(10) },
        { recipient: "sent@example.com", template: "login-link", sealed: "", state: "sent", nextAttemptAt: at(-60), sentAt: at(-59) },
        ...Array.from({ length: 5 }, (_, i) => ({ recipient: `failed${i}@example.com`, template: "password-reset", sealed: "", state: "failed", attempts: 8, lastError: `550 mailbox ${i} unavailable`, nextAttemptAt: at(-120), updatedAt: at(-i) })),
      ],
    });
    expect(await mailOverview(t.db, engine, now)).toEqual({ counts: { pending: 2, sending: 0, sent: 1, failed: 5 }, due: 1, oldestDueSeconds: 180 });

    const first = await listMail(t.db, "failed", { limit: 2 });
    expect(first.items.map((m) => m.recipient)).toEqual(["failed0@example.com", "failed1@example.com"]);
    expect(first.items[0]).toMatchObject({ template: "password-reset", attempts: 8, lastError: "550 mailbox 0 unavailable" });
    expect(first.items[0]).not.toHaveProperty("sealed");
    const second = await listMail(t.db, "failed", { limit: 2, cursor: first.nextCursor });
    const third = await listMail(t.db, "failed", { limit: 2, cursor: second.nextCursor });
    expect([...second.items, ...third.items].map((m) => m.recipient)).toEqual(["failed2@example.com", "failed3@example.com", "failed4@example.com"]);
    expect(third.nextCursor).toBeNull();
  });
});
