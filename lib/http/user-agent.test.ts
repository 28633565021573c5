import { describe, expect, it } from "vitest";

import { UNKNOWN_BROWSER, describeUserAgent } from "./user-agent";

describe("describeUserAgent", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on Linux"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Microsoft Edge on Windows"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome (headless) on Linux"],
  ])("%s → %s", (header, expected) => {
    expect(describeUserAgent(header)).toBe(expected);
  });

  it("says plainly when the header tells nothing", () => {
    for (const header of [null, undefined, "", "   ", "curl/8.5.0", "SafeLinks-Scanner/1.0"]) expect(describeUserAgent(header)).toBe(UNKNOWN_BROWSER);
  });

  it("never returns the raw header", () => {
    const header = "Mozilla/5.0 <script>alert(1)</script> (Weird; OS)";
    expect(describeUserAgent(header)).not.toContain("<script>");
  });
});
