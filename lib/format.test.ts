import { expect, it } from "vitest";

import { waitText } from "./format";

it.each([
  [1, "1 second"],
  [45, "45 seconds"],
  [89, "89 seconds"],
  [90, "2 minutes"],
  [3540, "59 minutes"],
  [61 * 60, "61 minutes"],
])("%i s reads as %s", (seconds, text) => {
  expect(waitText(seconds)).toBe(text);
});
