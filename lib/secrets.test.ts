import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { hashSecret, newSecret, sameHash } from "./secrets";

describe('rule "Ticket values": every bearer secret (ticket, session, API key, personal token, sign-in browser)', () => {
  it("is 256 bits from the CSPRNG, URL-safe, fresh every time", () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => newSecret()));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(newSecret(), "base64url")).toHaveLength(32);
  });

  it("carries its prefix, so leaked ones can be found by secret scanners", () => {
    expect(newSecret("tgp_")).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);
    expect(newSecret("tg_")).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
  });

  it("is stored as SHA-256 in hex of the whole value, prefix included (the format rows already hold)", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const secret = newSecret("tgp_");
    expect(hashSecret(secret)).toBe(createHash("sha256").update(secret, "utf8").digest("hex"));
    expect(hashSecret(secret)).not.toContain(secret.slice(4));
  });

  it("hashes compare equal only when they are the same, and a malformed one is simply not equal", () => {
    const hash = hashSecret(newSecret());
    expect(sameHash(hash, hashSecret("other"))).toBe(false);
    expect(sameHash(hash, `${hash}`)).toBe(true);
    expect(sameHash(hash, hash.slice(0, 10))).toBe(false);
    expect(sameHash(hash, "not hex")).toBe(false);
  });
});
