// Answers that must not tell whether an address has an account (a sign-in
// link, a reset link, a sign-up, a password) take at least ANSWER_FLOOR_MS:
// the branch that sends nothing does less work, and its speed would say so.

/** Longer than any of these answers takes on a healthy server. */
export const ANSWER_FLOOR_MS = 350;

export interface AnswerFloorOptions {
  /** Default: Date.now. Tests pass a clock they move. */
  now?: () => number;
  /** Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` and answers no sooner than the floor, whether it returns or throws. */
export async function withAnswerFloor<T>(work: () => Promise<T>, options: AnswerFloorOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  try {
    return await work();
  } finally {
    const rest = ANSWER_FLOOR_MS - (now() - started);
    if (rest > 0) await (options.sleep ?? timer)(rest);
  }
}
