import { describe, expect, it } from "vitest";

import { pickClientIp, rateLimitSubject } from "./client-ip";

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

describe('rule "Rate limits per address and per client IP, shared across instances": the subject a per-client limit counts', () => {
  it("is an IPv4 address itself, however it is spelled", () => {
    expect(rateLimitSubject("203.0.113.9")).toBe("203.0.113.9");
    expect(rateLimitSubject(" 203.0.113.9 ")).toBe("203.0.113.9");
    expect(rateLimitSubject("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(rateLimitSubject("::FFFF:203.0.113.9")).toBe("203.0.113.9");
    // The same mapped address written in hex groups.
    expect(rateLimitSubject("::ffff:cb00:7109")).toBe("203.0.113.9");
    expect(rateLimitSubject("203.0.113.10")).not.toBe(rateLimitSubject("203.0.113.9"));
  });

  it("is the /64 network of an IPv6 address, whatever its spelling", () => {
    const subject = rateLimitSubject("2001:db8::1");
    expect(subject).toBe("2001:db8:0:0::/64");
    for (const spelling of ["2001:DB8::1", "2001:db8:0:0::1", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8::a:b:c:d", "2001:db8::1.2.3.4"]) {
      expect(rateLimitSubject(spelling), spelling).toBe(subject);
    }
    expect(rateLimitSubject("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(rateLimitSubject("2001:db9::1")).not.toBe(subject);
    expect(rateLimitSubject("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitSubject("::")).toBe("0:0:0:0::/64");
  });

  it("ignores an IPv6 zone id", () => {
    expect(rateLimitSubject("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitSubject("FE80::2%25")).toBe("fe80:0:0:0::/64");
  });

  it.each(["", "not-an-ip", "999.1.1.1", "1.2.3.04", "2001:db8::/64", "2001:db8:::1", "fe80::1%", "1.2.3.4\r\nX: y"])("keeps text that is not an address as it is, so it still counts: %j", (value) => {
    expect(rateLimitSubject(value)).toBe(value);
  });
});
