// A test fails when it logs console.error it did not expect: an error that is
// only printed is an error nobody will see. Tests that expect one spy on
// console.error themselves (vi.spyOn(console, "error").mockImplementation(...)).
import { afterEach, beforeEach, vi } from "vitest";

let unexpected: unknown[][] = [];
let original: typeof console.error;

beforeEach(() => {
  unexpected = [];
  original = console.error;
  console.error = (...args: unknown[]) => {
    unexpected.push(args);
    original(...args);
  };
});

afterEach(() => {
  const logged = unexpected;
  console.error = original;
  vi.restoreAllMocks();
  if (logged.length > 0) throw new Error(`unexpected console.error: ${logged.map((args) => args.map(String).join(" ")).join("\n")}`);
});
