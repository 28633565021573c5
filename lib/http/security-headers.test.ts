// rule "Headers on every page" (docs/design.md).
import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, pageSecurityHeaders } from "./security-headers";

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(" ")]));
}

describe("pageSecurityHeaders", () => {
  it("sends the directives the rule names, and scripts only with this response's nonce", () => {
    const { nonce, headers } = pageSecurityHeaders({ appUrl: "http://localhost:3000", dev: false });
    const csp = directives(headers["Content-Security-Policy"]!);
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("form-action")).toBe("'self'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("script-src")).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp.get("script-src")).not.toContain("unsafe");
  });

  it("draws a new nonce of 128 bits for every response", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => pageSecurityHeaders({ appUrl: "http://localhost:3000", dev: false }).nonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("adds Strict-Transport-Security and upgrade-insecure-requests only when APP_URL is https", () => {
    const https = pageSecurityHeaders({ appUrl: "https://auth.example.com", dev: false }).headers;
    expect(https["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
    expect(directives(https["Content-Security-Policy"]!).has("upgrade-insecure-requests")).toBe(true);
    const http = pageSecurityHeaders({ appUrl: "http://localhost:3000", dev: false }).headers;
    expect(http["Strict-Transport-Security"]).toBeUndefined();
    expect(directives(http["Content-Security-Policy"]!).has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval only in development (fast refresh needs it)", () => {
    expect(contentSecurityPolicy("n", { appUrl: "http://localhost:3000", dev: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { appUrl: "http://localhost:3000", dev: false })).not.toContain("'unsafe-eval'");
  });
});
