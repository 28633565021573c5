import { describe, expect, it } from "vitest";

import { formatClock, formatCount, formatDate, formatDateSeconds, formatMinutes, formatNumber, formatSeconds, formatShare, formatShortDate, formatStamp, formatTime, formatWhen, noun, plural, sentenceCase, waitText } from "./format";

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

describe("one way to write a moment: UTC, year first, on pages, in the console and in mails", () => {
  const at = new Date("2026-03-04T09:05:07.250Z");

  it("in a sentence it says UTC", () => {
    expect(formatWhen(at)).toBe("2026-03-04 09:05 UTC");
  });

  it("in a table it is the same date and time, and a dash (or the caller's word) when there is none", () => {
    expect(formatDate(at)).toBe("2026-03-04 09:05");
    expect(formatDate(null)).toBe("—");
    expect(formatDate(undefined, "never")).toBe("never");
  });

  it("a dense table leaves out this year's year", () => {
    expect(formatShortDate(at, "—", new Date("2026-12-31T23:59:00Z"))).toBe("03-04 09:05");
    expect(formatShortDate(at, "—", new Date("2027-01-01T00:00:00Z"))).toBe("2026-03-04 09:05");
    expect(formatShortDate(null, "never")).toBe("never");
  });

  it("times and seconds in the same style", () => {
    expect(formatTime(at)).toBe("09:05");
    expect(formatDateSeconds(at)).toBe("2026-03-04 09:05:07 UTC");
    expect(formatDateSeconds(null, "never")).toBe("never");
    // Under a column headed "(UTC)": the same moment without the zone.
    expect(formatStamp(at)).toBe("2026-03-04 09:05:07");
    expect(formatStamp(null)).toBe("—");
  });

  it("does not depend on the server's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Pacific/Kiritimati";
    try {
      expect(formatWhen(new Date("2026-12-31T23:30:00Z"))).toBe("2026-12-31 23:30 UTC");
    } finally {
      process.env.TZ = zone;
    }
  });
});

describe("counts", () => {
  it.each([
    [0, "0 sessions"],
    [1, "1 session"],
    [2, "2 sessions"],
  ])("%i reads as %s", (n, text) => {
    expect(plural(n, "session")).toBe(text);
  });

  it("has the word alone for a count shown apart, and large counts with separators", () => {
    expect([0, 1, 2].map((n) => noun(n, "ticket"))).toEqual(["tickets", "ticket", "tickets"]);
    expect(formatCount(1, "ticket")).toBe("1 ticket");
    expect(formatCount(12_345, "sign-in link")).toBe("12,345 sign-in links");
    expect(formatCount(1, "entry", "entries")).toBe("1 entry");
  });

  it("waits read in whole units, one of each in the singular", () => {
    expect([1, 2, 59, 60, 90, 91, 120].map(waitText)).toEqual(["1 second", "2 seconds", "59 seconds", "60 seconds", "2 minutes", "2 minutes", "2 minutes"]);
    expect(formatMinutes(61)).toBe("1 hour and 1 minute");
    expect(formatMinutes(121)).toBe("2 hours and 1 minute");
  });

  it("a countdown reads as a clock", () => {
    expect([0, 1, 9, 42, 60, 65, 600, 3599].map(formatClock)).toEqual(["0:00", "0:01", "0:09", "0:42", "1:00", "1:05", "10:00", "59:59"]);
    expect(formatClock(-3)).toBe("0:00");
    expect(formatClock(1.2)).toBe("0:02");
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });

  it("formatMinutes writes minutes and hours in words", () => {
    expect([1, 15, 60, 90, 1440].map(formatMinutes)).toEqual(["1 minute", "15 minutes", "1 hour", "1 hour and 30 minutes", "24 hours"]);
  });

  it("numbers, shares and lifetimes as the console shows them", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect([0.05, 0.5].map(formatShare)).toEqual(["5.0%", "50%"]);
    expect([900, 7200, 86_400, 61].map(formatSeconds)).toEqual(["15 min", "2 h", "1 d", "61 s"]);
  });
});

describe("sentenceCase", () => {
  it("capitalises the first letter only", () => {
    expect(sentenceCase("an unknown browser")).toBe("An unknown browser");
    expect(sentenceCase("Chrome on Linux")).toBe("Chrome on Linux");
    expect(sentenceCase("")).toBe("");
  });
});
