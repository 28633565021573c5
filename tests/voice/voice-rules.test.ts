// One voice, checked in the source (issue: "plurals right everywhere, one
// date format in pages, admin and mails"): counts, moments and waits are
// written by lib/format.ts alone, so a page, the console and a mail say
// "1 session" and "2026-11-24 09:05 UTC" the same way.
// - No hand-made plural: a number put before a plural noun in a template
//   ("${n} minutes", "{count} tickets") says "1 minutes" one day; plural(),
//   noun() and formatCount() choose the word.
// - No locale formatting outside lib/format.ts: toLocale*String and Intl
//   follow the server's or the browser's settings.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const sources = ["app", "emails", "lib"].flatMap((dir) => sourceFiles(path.join(root, dir))).map((file) => ({ file: path.relative(root, file), code: readFileSync(file, "utf8") }));

/** Nouns people read counts of. */
const NOUNS = "seconds|minutes|hours|days|sessions|tickets|links|tokens|keys|mails|messages|attempts|tries|users|accounts|projects|events|entries";
/** A value interpolated (`${…}` or JSX `{…}`) right before one of them, as one word apart. */
const HAND_MADE_PLURAL = new RegExp(`\\$?\\{[^{}]+\\}\\s(?:${NOUNS})\\b`);

function offending(pattern: RegExp, skip: (file: string) => boolean = () => false): string[] {
  return sources.flatMap(({ file, code }) =>
    skip(file)
      ? []
      : code
          .split("\n")
          .map((line, i) => ({ line: line.trim(), at: `${file}:${i + 1}` }))
          // Comments may quote the wrong way; errors thrown are for logs and developers, never shown to people.
          .filter(({ line }) => !/^(\/\/|\*|\/\*|throw new Error\()/.test(line) && pattern.test(line))
          .map(({ line, at }) => `${at}: ${line}`),
  );
}

describe("one voice", () => {
  it("looks at the pages, the console and the mails", () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  it("writes no count as a number before a plural noun by hand", () => {
    expect(offending(HAND_MADE_PLURAL)).toEqual([]);
  });

  it("formats numbers and moments in lib/format.ts only", () => {
    expect(offending(/\.toLocale(Date|Time)?String\(|\bIntl\./, (file) => file === "lib/format.ts")).toEqual([]);
  });

  it("catches what it is meant to", () => {
    expect(HAND_MADE_PLURAL.test("`wait ${n} minutes`")).toBe(true);
    expect(HAND_MADE_PLURAL.test("<p>{formatNumber(total)} tickets kept</p>")).toBe(true);
    expect(HAND_MADE_PLURAL.test("`wait ${plural(n, \"minute\")}`")).toBe(false);
    expect(HAND_MADE_PLURAL.test("{noun(total, \"ticket\")} kept")).toBe(false);
  });
});
