// Mailing-list subscription requests (lib/subscriptions.ts) on real databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { requestSubscription, subscriptionOf } from "@/lib/subscriptions";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

describe.each(engines)("subscription requests on %s", (engine) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const user = async () => (await t.db.user.create({ data: { email: `subscriber-${++n}@example.com` } })).id;

  it("records a request once per person and list; asking again changes nothing", async () => {
    const userId = await user();
    expect(await subscriptionOf(t.db, userId, "foo")).toBeNull();
    const first = await requestSubscription(t.db, userId, "foo");
    expect(first).toMatchObject({ list: "foo", state: "pending" });
    await t.db.subscriptionRequest.updateMany({ where: { userId, list: "foo" }, data: { state: "approved" } });
    expect(await requestSubscription(t.db, userId, "foo")).toEqual({ ...first, state: "approved" });
    expect(await subscriptionOf(t.db, userId, "foo")).toEqual({ ...first, state: "approved" });
    expect(await subscriptionOf(t.db, userId, "bar")).toBeNull();
    expect(await subscriptionOf(t.db, await user(), "foo")).toBeNull();
  });

  it("parallel requests for the same list leave exactly one, and none of them fails", async () => {
    const userId = await user();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => requestSubscription(t.db, userId, "busy")));
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    expect(await t.db.subscriptionRequest.count({ where: { userId, list: "busy" } })).toBe(1);
  });
});
