import { createDecipheriv, hkdfSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import { SealError, openMail, sealMail } from "./seal";

const SECRET = "a-test-secret-that-is-at-least-32-characters-long";
const content = {
  subject: "Your sign-in link for Ticketgate",
  text: "Open https://auth.example.com/ticket/AbCdEfGhIjKlMnOpQrStUv or type 123-456 — ünïcödé ✓",
  html: '<a href="https://auth.example.com/ticket/AbCdEfGhIjKlMnOpQrStUv">Sign in</a>',
};

function replacePart(sealed: string, index: number, replace: (part: string) => string): string {
  const parts = sealed.split(".");
  parts[index] = replace(parts[index]!);
  return parts.join(".");
}

function flipFirstByte(part: string): string {
  const bytes = Buffer.from(part, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString("base64url");
}

describe("sealMail / openMail", () => {
  it("round-trips the content, unicode included", () => {
    expect(openMail(SECRET, sealMail(SECRET, content))).toEqual(content);
  });

  it("writes v1.<iv>.<tag>.<ciphertext> in base64url with a 12-byte IV and a 16-byte tag", () => {
    const sealed = sealMail(SECRET, content);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, tag] = sealed.split(".");
    expect(Buffer.from(iv!, "base64url")).toHaveLength(12);
    expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
  });

  it("never contains the link, the code or the subject in plaintext, nor in plain base64", () => {
    const sealed = sealMail(SECRET, content);
    for (const secretPart of ["AbCdEfGhIjKlMnOpQrStUv", "123-456", "auth.example.com", "sign-in link"]) {
      expect(sealed).not.toContain(secretPart);
      expect(sealed).not.toContain(Buffer.from(secretPart).toString("base64url").slice(0, 12));
    }
  });

  it("uses a fresh IV every time: the same content seals differently", () => {
    const a = sealMail(SECRET, content);
    const b = sealMail(SECRET, content);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("derives the key with HKDF-SHA256 (info 'ticketgate mail outbox') and encrypts with AES-256-GCM", () => {
    const [version, iv, tag, data] = sealMail(SECRET, content).split(".");
    const key = Buffer.from(hkdfSync("sha256", SECRET, Buffer.alloc(0), "ticketgate mail outbox", 32));
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv!, "base64url"));
    decipher.setAAD(Buffer.from(version!));
    decipher.setAuthTag(Buffer.from(tag!, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(data!, "base64url")), decipher.final()]).toString("utf8");
    expect(JSON.parse(plain)).toEqual(content);
  });

  it("refuses a different secret", () => {
    const sealed = sealMail(SECRET, content);
    expect(() => openMail(`${SECRET}-rotated`, sealed)).toThrow(SealError);
  });

  it.each([
    ["the ciphertext", 3],
    ["the tag", 2],
    ["the IV", 1],
  ])("refuses a body whose %s was changed", (_name, index) => {
    const sealed = sealMail(SECRET, content);
    expect(() => openMail(SECRET, replacePart(sealed, index, flipFirstByte))).toThrow(SealError);
  });

  it("refuses another version, a truncated value and things that are not sealed bodies", () => {
    const sealed = sealMail(SECRET, content);
    expect(() => openMail(SECRET, replacePart(sealed, 0, () => "v2"))).toThrow(SealError);
    expect(() => openMail(SECRET, sealed.split(".").slice(0, 3).join("."))).toThrow(SealError);
    expect(() => openMail(SECRET, "")).toThrow(SealError);
    expect(() => openMail(SECRET, JSON.stringify(content))).toThrow(SealError);
  });

  it("the error says nothing about the content", () => {
    const sealed = sealMail(SECRET, content);
    try {
      openMail("another-secret-another-secret-another", sealed);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("AbCdEf");
      expect(String(error)).not.toContain(sealed);
    }
  });

  it("refuses an empty secret", () => {
    expect(() => sealMail("", content)).toThrow(TypeError);
    expect(() => openMail("", sealMail(SECRET, content))).toThrow(TypeError);
  });
});
