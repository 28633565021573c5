// docs/design.md, security rules: "Ticket values: at least 128 bits from the OS
// CSPRNG, URL-safe, stored only as a hash."
import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { generateTicket, hashTicket, isWellFormedTicket } from "./token";

const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

describe("Ticket values: at least 128 bits from the OS CSPRNG, URL-safe, stored only as a hash", () => {
  describe("generateTicket", () => {
    it("is 43 characters of unpadded base64url", () => {
      for (let i = 0; i < 1000; i++) {
        const ticket = generateTicket();
        expect(ticket).toMatch(BASE64URL_43);
        expect(ticket).not.toMatch(/[+/=]/);
      }
    });

    it("carries at least 128 bits (it decodes to 32 random bytes)", () => {
      const ticket = generateTicket();
      const bytes = Buffer.from(ticket, "base64url");
      expect(bytes.length * 8).toBeGreaterThanOrEqual(128);
      expect(bytes).toHaveLength(32);
      // The encoding round-trips: nothing is lost or padded.
      expect(bytes.toString("base64url")).toBe(ticket);
    });

    it("is safe in a URL path without any escaping", () => {
      const ticket = generateTicket();
      expect(encodeURIComponent(ticket)).toBe(ticket);
      expect(new URL(`https://app.example/ticket/${ticket}`).pathname).toBe(`/ticket/${ticket}`);
    });

    it("never repeats over 10,000 draws", () => {
      const draws = new Set<string>();
      for (let i = 0; i < 10_000; i++) draws.add(generateTicket());
      expect(draws.size).toBe(10_000);
    });

    it("looks random: every base64url character shows up and no position is constant", () => {
      const tickets = Array.from({ length: 2000 }, () => generateTicket());
      const seen = new Set(tickets.join(""));
      // 64 symbols; 2000 × 43 characters make missing one practically impossible.
      expect(seen.size).toBe(64);
      for (let position = 0; position < 42; position++) {
        const atPosition = new Set(tickets.map((ticket) => ticket[position]));
        expect(atPosition.size).toBeGreaterThan(32);
      }
    });

    it("is well formed by its own rule", () => {
      for (let i = 0; i < 100; i++) expect(isWellFormedTicket(generateTicket())).toBe(true);
    });
  });

  describe("hashTicket", () => {
    it("is the hex SHA-256 of the ticket: 64 lower-case hex characters", () => {
      const ticket = generateTicket();
      const hash = hashTicket(ticket);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).toBe(createHash("sha256").update(ticket, "utf8").digest("hex"));
    });

    it("matches a known SHA-256 vector", () => {
      expect(hashTicket("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    });

    it("is deterministic and differs from the ticket it hashes", () => {
      const ticket = generateTicket();
      expect(hashTicket(ticket)).toBe(hashTicket(ticket));
      expect(hashTicket(ticket)).not.toBe(ticket);
      expect(hashTicket(ticket)).not.toContain(ticket);
    });

    it("gives different hashes for different tickets, even one character apart", () => {
      const ticket = generateTicket();
      const other = `${ticket.slice(0, -1)}${ticket.endsWith("A") ? "B" : "A"}`;
      expect(hashTicket(other)).not.toBe(hashTicket(ticket));
      const hashes = new Set(Array.from({ length: 1000 }, () => hashTicket(generateTicket())));
      expect(hashes.size).toBe(1000);
    });
  });

  describe("isWellFormedTicket", () => {
    const good = "A".repeat(21) + "-_" + "z9".repeat(10);

    it("accepts any 43 base64url characters", () => {
      expect(good).toHaveLength(43);
      expect(isWellFormedTicket(good)).toBe(true);
    });

    it.each([
      ["empty", ""],
      ["42 characters", "a".repeat(42)],
      ["44 characters", "a".repeat(44)],
      ["64 characters (a hash)", "a".repeat(64)],
      ["with +", `${"a".repeat(42)}+`],
      ["with /", `${"a".repeat(42)}/`],
      ["with = padding", `${"a".repeat(42)}=`],
      ["padded to 44", `${"a".repeat(43)}=`],
      ["with a space", `${"a".repeat(42)} `],
      ["with a trailing newline", `${"a".repeat(43)}\n`],
      ["with a leading newline", `\n${"a".repeat(43)}`],
      ["with a dot", `${"a".repeat(42)}.`],
      ["with a percent escape", `${"a".repeat(40)}%2F`],
      ["with a full-width letter", `${"a".repeat(42)}ａ`],
      ["with a non-ASCII letter", `${"a".repeat(42)}é`],
    ])("rejects %s", (_label, value) => {
      expect(isWellFormedTicket(value)).toBe(false);
    });

    it.each([
      ["null", null],
      ["undefined", undefined],
      ["a number", 12345],
      ["an array holding a ticket", ["A".repeat(43)]],
      ["an object", { ticket: "A".repeat(43) }],
      ["a String object", new String("A".repeat(43))],
      ["an object whose toString is a ticket", { toString: () => "A".repeat(43) }],
    ])("rejects %s", (_label, value) => {
      expect(isWellFormedTicket(value)).toBe(false);
    });
  });
});
