import { describe, expect, it } from "vitest";

import { ANSWER_FLOOR_MS, withAnswerFloor } from "./answer-floor";

/** A clock the work moves forward, and a sleep that records how long it was asked to wait. */
function fakeTime() {
  let now = 1_000;
  const slept: number[] = [];
  return {
    advance: (ms: number) => void (now += ms),
    slept,
    options: { now: () => now, sleep: async (ms: number) => void slept.push(ms) },
  };
}

describe('rule "Same answer for known and unknown addresses": every answer takes at least the floor', () => {
  it("a quick answer waits out the rest of the floor", async () => {
    const time = fakeTime();
    const answer = await withAnswerFloor(async () => {
      time.advance(100);
      return "sent";
    }, time.options);
    expect(answer).toBe("sent");
    expect(time.slept).toEqual([ANSWER_FLOOR_MS - 100]);
  });

  it("a slow answer is not made slower", async () => {
    const time = fakeTime();
    await withAnswerFloor(async () => time.advance(ANSWER_FLOOR_MS + 1), time.options);
    expect(time.slept).toEqual([]);
  });

  it("a failure also waits out the floor, then is thrown as it was", async () => {
    const time = fakeTime();
    const failure = new Error("database gone");
    await expect(
      withAnswerFloor(async () => {
        time.advance(20);
        throw failure;
      }, time.options),
    ).rejects.toBe(failure);
    expect(time.slept).toEqual([ANSWER_FLOOR_MS - 20]);
  });
});
