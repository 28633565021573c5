import { afterEach, describe, expect, it } from "vitest";

import { type LogLevel, log, redactPath, setLogSink } from "./log";

describe("structured logs", () => {
  let restore: ReturnType<typeof setLogSink> | undefined;
  afterEach(() => {
    if (restore) setLogSink(restore);
  });

  it("writes one JSON object per line with time, level, event and the defined fields", () => {
    const lines: [LogLevel, string][] = [];
    restore = setLogSink((level, line) => lines.push([level, line]));
    log("warn", "mail.failed", { messageId: "m1", attempts: 3, error: 'quote " and\nnewline', skipped: undefined });
    expect(lines).toHaveLength(1);
    const [level, line] = lines[0]!;
    expect(level).toBe("warn");
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: "warn", event: "mail.failed", messageId: "m1", attempts: 3, error: 'quote " and\nnewline' });
  });

  it("redacts ticket values and drops query strings from paths (rule: ticket values appear nowhere but the mail)", () => {
    expect(redactPath("/ticket/AbC-123_xyz")).toBe("/ticket/:ticket");
    expect(redactPath("/ticket/AbC-123_xyz?x=1")).toBe("/ticket/:ticket");
    expect(redactPath("/login?next=subrequest%2Ffoo&email=a%40b.c")).toBe("/login");
    expect(redactPath("/account#top")).toBe("/account");
    expect(redactPath(undefined)).toBe("");
    expect(redactPath(`/${"a".repeat(500)}`)).toHaveLength(200);
  });
});
