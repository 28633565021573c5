import { describe, expect, it } from "vitest";

import { newSecret } from "@/lib/secrets";

import { sessionCookieFor } from "./session-token";
import { sessionTokenHash } from "./sessions";

describe("Sessions: server-side rows, new id at every sign-in, cookies HttpOnly, SameSite=Lax, Secure in production", () => {
  it("over https the cookie is Secure, HttpOnly, SameSite=Lax and __Host- prefixed", () => {
    expect(sessionCookieFor("https://auth.example.com")).toEqual({
      name: "__Host-authjs.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
  });

  it("over plain http (local use) it keeps next-auth's unprefixed name and cannot be Secure", () => {
    expect(sessionCookieFor("http://localhost:3000")).toEqual({
      name: "authjs.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
    });
  });

  it("tokens are 256 random bits, fresh every time, and stored only as SHA-256", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newSecret()));
    expect(tokens.size).toBe(1000);
    const token = newSecret();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionTokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionTokenHash(token)).not.toContain(token);
  });
});
