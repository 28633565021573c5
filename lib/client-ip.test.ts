import { describe, expect, it } from "vitest";

import { pickClientIp } from "./client-ip";

describe("the client address used for rate limits and history", () => {
  it("is the TCP peer unless a proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(pickClientIp({ peer: "198.51.100.4", forwardedFor: "203.0.113.9", trustProxy: false })).toBe("198.51.100.4");
  });

  it("behind a trusted proxy is the last X-Forwarded-For entry, the one the proxy appended", () => {
    expect(pickClientIp({ peer: "10.0.0.2", forwardedFor: "1.2.3.4, 203.0.113.9", trustProxy: true })).toBe("203.0.113.9");
  });

  it("unmaps IPv4-mapped IPv6 peers", () => {
    expect(pickClientIp({ peer: "::ffff:127.0.0.1", forwardedFor: null, trustProxy: false })).toBe("127.0.0.1");
    expect(pickClientIp({ peer: "::1", forwardedFor: null, trustProxy: false })).toBe("::1");
  });

  it.each(["", "not-an-ip", "1.2.3.4\r\nX: y", "999.1.1.1"])("refuses garbage %j", (value) => {
    expect(pickClientIp({ peer: value, forwardedFor: value, trustProxy: false })).toBeNull();
    expect(pickClientIp({ peer: null, forwardedFor: value, trustProxy: true })).toBeNull();
  });
});
