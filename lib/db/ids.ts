// Ids written by the stores on the raw drivers (Prisma's cuid() default is
// applied by the Prisma client, not by the database).
import { randomUUID } from "node:crypto";

let lastMillis = 0;
let sequence = 0;

/**
 * A UUID (version 7 layout) whose text sorts in creation order within this
 * process. Random UUIDs would not do: events are read back ordered by
 * (at, id), several events of a ticket often share one `at` (and with an
 * injected test clock, all of them do), and the history must come back in the
 * order it happened — as it does with Prisma's cuids, which are time-ordered
 * too. Ordered ticket ids also make the list's id tie-break follow creation
 * order, and keep primary-key inserts at the right edge of the B-tree.
 */
export function orderedId(): string {
  let millis = Date.now();
  if (millis > lastMillis) {
    lastMillis = millis;
    sequence = 0;
  } else if (sequence < 0xfff) {
    // Same millisecond, or the wall clock stepped back: keep counting from the last one.
    millis = lastMillis;
    sequence += 1;
  } else {
    // 4096 ids in one millisecond: borrow the next one, so order still holds.
    millis = ++lastMillis;
    sequence = 0;
  }
  const time = millis.toString(16).padStart(12, "0");
  // The variant and 62 random bits come from a v4 UUID's last two groups.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${sequence.toString(16).padStart(3, "0")}-${randomUUID().slice(19)}`;
}
