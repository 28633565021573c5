import { describe, expect, it } from "vitest";

import { DEFAULT_LIVENESS, createLiveness } from "./supervisor";

// The clock is the `now` handed to each check: the test moves it by hand.
describe("judging an instance by its health checks", () => {
  const { intervalMs, graceMs } = DEFAULT_LIVENESS;

  it("kills after three checks in a row go unanswered, once the instance has answered", () => {
    const liveness = createLiveness(DEFAULT_LIVENESS, 0);
    expect(liveness.record(true, intervalMs)).toBe("alive");
    expect(liveness.record(false, 2 * intervalMs)).toBe("missed");
    expect(liveness.record(false, 3 * intervalMs)).toBe("missed");
    expect(liveness.record(false, 4 * intervalMs)).toBe("dead");
  });

  it("starts counting again after any answer", () => {
    const liveness = createLiveness(DEFAULT_LIVENESS, 0);
    let now = 0;
    const verdicts = [true, false, false, true, false, false, true, false, false].map((answered) => liveness.record(answered, (now += intervalMs)));
    expect(verdicts).not.toContain("dead");
    expect(liveness.record(false, (now += intervalMs))).toBe("dead");
  });

  it("gives a booting instance until the grace period ends before misses count", () => {
    const startedAt = 1_000_000;
    const liveness = createLiveness(DEFAULT_LIVENESS, startedAt);
    for (let now = startedAt + intervalMs; now < startedAt + graceMs; now += intervalMs) expect(liveness.record(false, now)).toBe("booting");
    expect(liveness.record(false, startedAt + graceMs)).toBe("missed");
    expect(liveness.record(false, startedAt + graceMs + intervalMs)).toBe("missed");
    expect(liveness.record(false, startedAt + graceMs + 2 * intervalMs)).toBe("dead");
  });

  it("ends the grace period at the first answer", () => {
    const liveness = createLiveness(DEFAULT_LIVENESS, 0);
    expect(liveness.record(false, intervalMs)).toBe("booting");
    expect(liveness.record(true, 2 * intervalMs)).toBe("alive");
    expect(liveness.record(false, 3 * intervalMs)).toBe("missed");
    expect(liveness.record(false, 4 * intervalMs)).toBe("missed");
    expect(liveness.record(false, 5 * intervalMs)).toBe("dead");
  });

  it("honours a configured number of misses", () => {
    const liveness = createLiveness({ ...DEFAULT_LIVENESS, misses: 1 }, 0);
    expect(liveness.record(true, 1)).toBe("alive");
    expect(liveness.record(false, 2)).toBe("dead");
  });
});
