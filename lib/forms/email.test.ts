import { describe, expect, it } from "vitest";
import { z } from "zod";

import { EMAIL_ERRORS, emailSchema, maskEmail, normalizeEmail } from "./email";

const local64 = "l".repeat(64);
const label63 = "d".repeat(63);
// 64 + "@" + 189 = 254, the longest address accepted.
const domain189 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(57)}.com`;
if (`${local64}@${domain189}`.length !== 254) throw new Error("test fixture: the longest address must be 254 characters");

describe("E-mail input: exactly one address, normalised; lists, arrays, quoted local parts with `@`, look-alike `@` signs and CR/LF are refused", () => {
  describe("accepts and normalises", () => {
    it.each([
      ["surrounding whitespace trimmed, whole address lower-cased", " Ada@Example.COM ", "ada@example.com"],
      ["a short address", "a@b.co", "a@b.co"],
      ["tabs and a trailing newline around it (trimmed, not inside)", "\tada@example.com\n", "ada@example.com"],
      ["dots inside the local part", "first.last@example.com", "first.last@example.com"],
      ["plus addressing", "ada+tickets@example.com", "ada+tickets@example.com"],
      ["an apostrophe", "o'brien@example.ie", "o'brien@example.ie"],
      ["every other RFC 5322 atext character", "!#$&*/=?^_`{|}~-@example.com", "!#$&*/=?^_`{|}~-@example.com"],
      ["subdomains", "ada@mail.eu.example.com", "ada@mail.eu.example.com"],
      ["digits and inner hyphens in labels", "ada@123-mail.example2.com", "ada@123-mail.example2.com"],
      ["a punycode (xn--) IDN domain", "ada@xn--bcher-kva.example", "ada@xn--bcher-kva.example"],
      ["a TLD with a digit that is not all digits", "ada@example.x1", "ada@example.x1"],
      ["a local part of exactly 64 characters", `${local64}@example.com`, `${local64}@example.com`],
      ["a label of exactly 63 characters", `ada@${label63}.com`, `ada@${label63}.com`],
      ["exactly 254 characters in all", `${local64}@${domain189}`, `${local64}@${domain189}`],
    ])("%s: %j", (_name, input, expected) => {
      expect(normalizeEmail(input)).toEqual({ ok: true, email: expected });
      expect(emailSchema.parse(input)).toBe(expected);
    });
  });

  describe("refuses", () => {
    it.each<[string, unknown, string]>([
      // Not one string
      ["an array holding an address", ["a@b.co"], EMAIL_ERRORS.notOne],
      ["an object holding an address", { email: "a@b.co" }, EMAIL_ERRORS.notOne],
      ["a number", 42, EMAIL_ERRORS.notOne],
      ["null", null, EMAIL_ERRORS.notOne],
      ["undefined", undefined, EMAIL_ERRORS.notOne],
      ["an empty string", "", EMAIL_ERRORS.empty],
      ["only whitespace", "   ", EMAIL_ERRORS.empty],
      // Lists and several addresses
      ["a comma-separated list", "a@b.co,c@d.co", EMAIL_ERRORS.several],
      ["a semicolon-separated list", "a@b.co;c@d.co", EMAIL_ERRORS.several],
      ["a space-separated list", "a@b.co c@d.co", EMAIL_ERRORS.several],
      ["a tab inside", "a@b.co\tc@d.co", EMAIL_ERRORS.control],
      ["whitespace inside the local part", "ada lovelace@example.com", EMAIL_ERRORS.several],
      ["two @ signs", "a@b@example.com", EMAIL_ERRORS.several],
      // Quoting, display names, comments, IP literals
      ["a quoted local part with an @", '"a@b"@evil.com', EMAIL_ERRORS.punctuation],
      ["a quoted local part without an @", '"ada"@example.com', EMAIL_ERRORS.punctuation],
      ["a display name with angle brackets", "Ada <ada@example.com>", EMAIL_ERRORS.punctuation],
      ["angle brackets alone", "<ada@example.com>", EMAIL_ERRORS.punctuation],
      ["a comment", "ada(comment)@example.com", EMAIL_ERRORS.punctuation],
      ["a backslash", "a\\@b@example.com", EMAIL_ERRORS.punctuation],
      ["an IP-literal domain", "a@[127.0.0.1]", EMAIL_ERRORS.punctuation],
      ["an IPv6-literal domain", "a@[IPv6:::1]", EMAIL_ERRORS.punctuation],
      ["a dotted-quad domain", "a@127.0.0.1", EMAIL_ERRORS.ipDomain],
      // Look-alikes and other non-ASCII
      ["a full-width ＠ (U+FF20)", "a＠example.com", EMAIL_ERRORS.notAscii],
      ["a small ﹫ (U+FE6B)", "a﹫example.com", EMAIL_ERRORS.notAscii],
      ["a homoglyph domain (Cyrillic а)", "a@exаmple.com", EMAIL_ERRORS.notAscii],
      ["a Unicode local part", "zoë@example.com", EMAIL_ERRORS.notAscii],
      ["a zero-width space inside", "ada\u200b@example.com", EMAIL_ERRORS.notAscii],
      ["a no-break space inside", "ada\u00a0x@example.com", EMAIL_ERRORS.notAscii],
      // Tested on the raw input, before folding and trimming (the second security review)
      ["the Kelvin sign K (U+212A), which lower-cases to k", "\u212A25@example.com", EMAIL_ERRORS.notAscii],
      ["a Kelvin sign in the domain", "ada@\u212Aeep.example", EMAIL_ERRORS.notAscii],
      ["a no-break space around it (not trimmed)", "\u00a0ada@example.com", EMAIL_ERRORS.notAscii],
      ["an ideographic space around it (not trimmed)", "ada@example.com\u3000", EMAIL_ERRORS.notAscii],
      ["a byte-order mark before it", "\ufeffada@example.com", EMAIL_ERRORS.notAscii],
      // Control characters
      ["CR/LF with an injected header", "a@example.com\r\nBcc: x@y.z", EMAIL_ERRORS.control],
      ["a bare LF inside", "a@example.com\nx", EMAIL_ERRORS.control],
      ["a NUL", "a@example.com\u0000", EMAIL_ERRORS.control],
      ["DEL", "a\u007f@example.com", EMAIL_ERRORS.control],
      ["percent-encoded CR/LF in the domain", "a@example.com%0d%0a", EMAIL_ERRORS.domain],
      // Local part
      ["no @ at all", "ada.example.com", EMAIL_ERRORS.noAt],
      ["an empty local part", "@example.com", EMAIL_ERRORS.localPart],
      ["a leading dot", ".a@example.com", EMAIL_ERRORS.localPart],
      ["a trailing dot", "a.@example.com", EMAIL_ERRORS.localPart],
      ["a double dot", "a..b@example.com", EMAIL_ERRORS.localPart],
      ["a colon in the local part", "a:b@example.com", EMAIL_ERRORS.localPart],
      ["`%` in the local part (source routing through a relay)", "victim%attacker.example@relay.example", EMAIL_ERRORS.percent],
      ["percent-encoded CR/LF in the local part", "a%0d%0a@example.com", EMAIL_ERRORS.percent],
      ["a local part over 64 characters", `${local64}l@example.com`, EMAIL_ERRORS.localTooLong],
      ["over 254 characters in all", `${local64}@x${domain189}`, EMAIL_ERRORS.tooLong],
      ["a very long input", `${"a".repeat(10_000)}@example.com`, EMAIL_ERRORS.tooLong],
      // Domain
      ["an empty domain", "a@", EMAIL_ERRORS.domain],
      ["a domain without a dot", "a@example", EMAIL_ERRORS.domain],
      ["a label starting with a hyphen", "a@-example.com", EMAIL_ERRORS.domain],
      ["a label ending with a hyphen", "a@example-.com", EMAIL_ERRORS.domain],
      ["a label over 63 characters", `a@${label63}d.com`, EMAIL_ERRORS.domain],
      ["an empty label (double dot)", "a@example..com", EMAIL_ERRORS.domain],
      ["a leading dot in the domain", "a@.example.com", EMAIL_ERRORS.domain],
      ["a trailing dot in the domain", "a@example.com.", EMAIL_ERRORS.domain],
      ["an underscore in the domain", "a@ex_ample.com", EMAIL_ERRORS.domain],
      ["`%` in the domain", "a@exa%mple.com", EMAIL_ERRORS.domain],
      ["a TLD of digits only", "a@example.123", EMAIL_ERRORS.domain],
    ])("%s: %j", (_name, input, error) => {
      expect(normalizeEmail(input)).toEqual({ ok: false, error });
      const parsed = emailSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([error]);
    });
  });

  it("every refusal message is short and plain", () => {
    for (const message of Object.values(EMAIL_ERRORS)) {
      expect(message.length).toBeLessThanOrEqual(100);
      expect(message).not.toMatch(/regex|RFC|invalid_|undefined/i);
    }
  });

  it("works as a field of a larger zod schema", () => {
    const form = z.object({ email: emailSchema });
    expect(form.parse({ email: " Ada@Example.COM " })).toEqual({ email: "ada@example.com" });
    expect(form.safeParse({ email: ["a@b.co"] }).error?.issues).toMatchObject([{ path: ["email"], message: EMAIL_ERRORS.notOne }]);
    expect(form.safeParse({}).error?.issues).toMatchObject([{ path: ["email"], message: EMAIL_ERRORS.notOne }]);
  });
});

describe("maskEmail: addresses shown to a reader who may not own them", () => {
  it.each([
    ["ada@example.com", "a•a@example.com"],
    ["ada.lovelace@example.com", "a••••••••••••e@example.com"],
    ["a@b.co", "a•@b.co"],
    ["ab@b.co", "a••@b.co"],
    ["abc@b.co", "a•c@b.co"],
    ["alan@example.com", "a••n@example.com"],
    ["lovelace1@example.com", "l•••••••1@example.com"],
    ["first.last+tag@mail.example.org", "f••••••••••••g@mail.example.org"],
    [`${"x".repeat(64)}@example.com`, `x${"•".repeat(16)}x@example.com`],
  ])("%s → %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it("never shows a local part of one or two characters in full", () => {
    for (const email of ["a@example.com", "ab@example.com"]) expect(maskEmail(email)).not.toBe(email);
  });

  it("tells apart the addresses one person is likely to have", () => {
    // Spelled out, dotted, with a tag, initials, other domains: what one mailbox owner might have, or be confused with.
    const corpus = [
      "ada@example.com",
      "ada.lovelace@example.com",
      "a.lovelace@example.com",
      "alovelace@example.com",
      "ada.l@example.com",
      "ada+work@example.com",
      "ada.lovelace@example.org",
      "ada@example.org",
      "lovelace@example.com",
      "a@example.com",
      "ad@example.com",
      "adam@example.com",
      "ada1@example.com",
      "ada.lovelace+news@example.com",
      "ada.byron.lovelace@example.com",
      "al@example.org",
      "new-address@example.net",
      "n@example.net",
    ];
    const masks = new Map<string, string>();
    for (const email of corpus) {
      const mask = maskEmail(email);
      expect(masks.get(mask), `${email} and ${masks.get(mask)} both show as ${mask}`).toBeUndefined();
      masks.set(mask, email);
    }
  });

  // What a mask gives up so it discloses little: these are the collisions it allows.
  it("keeps the length class, not the length, of a long local part, and only the first of two characters", () => {
    expect(maskEmail("ad@example.com")).toBe(maskEmail("al@example.com"));
    expect(maskEmail("ada.lovelace@example.com")).toBe(maskEmail("adalovelace@example.com"));
    expect(maskEmail("augusta.ada.king@example.com")).toBe(maskEmail("augusta.ada.kkng@example.com"));
  });

  it("shows no more of the domain than it is", () => {
    expect(maskEmail("ada@mail.example.co.uk").endsWith("@mail.example.co.uk")).toBe(true);
  });

  it.each([["not-an-address"], ["@example.com"], [""]])("shows nothing of a malformed value %j", (value) => {
    expect(maskEmail(value)).toBe("•••");
  });
});
