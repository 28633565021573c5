// A clock the ticket core's tests control: it stands still until told to move.
import type { Clock } from "./types";

export interface TestClock extends Clock {
  /** Moves the clock forward (or back, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to `date`. */
  set(date: Date): void;
}

export function createTestClock(start: Date): TestClock {
  let current = start.getTime();
  if (!Number.isFinite(current)) throw new RangeError("createTestClock: start must be a valid date");
  return {
    // A fresh Date each time, so nothing the core keeps can move the clock.
    now: () => new Date(current),
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError("advance: ms must be a finite number");
      current += ms;
    },
    set(date) {
      const time = date.getTime();
      if (!Number.isFinite(time)) throw new RangeError("set: date must be a valid date");
      current = time;
    },
  };
}
