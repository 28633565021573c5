// The provider's signing keys and the apps' secrets at rest: sealed with a
// key derived from AUTH_SECRET, rotated by `npm run oidc:rotate-keys`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOidcClient, clientMetadata } from "@/lib/oidc/clients";
import { loadSigningKeys, rotateSigningKeys } from "@/lib/oidc/keys";
import { UnsealError } from "@/lib/oidc/seal";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const SECRET = "key-test-secret-key-test-secret-0123456";
const KEEP = 14 * 86_400;

describe.each(engines)("signing keys and client secrets on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it("makes one RS256 key on first start and keeps it sealed: no private part in the database", async () => {
    const [first, ...rest] = await loadSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP });
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ alg: "RS256", use: "sig", kty: "RSA" });
    expect(first!.d).toBeTruthy();
    const [row] = await t.db.oidcKey.findMany();
    expect(row!.sealed).toMatch(/^v1\./);
    expect(row!.sealed).not.toContain(String(first!.d));
    expect((await loadSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP })).map((k) => k.kid)).toEqual([first!.kid]);
  });

  it("rotation puts a new key first and keeps the old one until its tokens may have expired", async () => {
    const [before] = await loadSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP });
    const now = new Date();
    const { kid } = await rotateSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP, now });
    expect((await loadSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP, now })).map((k) => k.kid)).toEqual([kid, before!.kid]);
    // Past the keeping time the retired key leaves the JWKS, and the next rotation deletes it.
    const later = new Date(now.getTime() + (KEEP + 60) * 1000);
    expect((await loadSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP, now: later })).map((k) => k.kid)).toEqual([kid]);
    const again = await rotateSigningKeys(t.db, SECRET, { keepRetiredSeconds: KEEP, now: later });
    expect(again.deleted).toBe(1);
  });

  it("instances starting together on an empty table make one first key between them, not one each", async () => {
    const fresh = await createTestDatabase(engine);
    try {
      const loaded = await Promise.all(Array.from({ length: 4 }, () => loadSigningKeys(fresh.db, SECRET, { keepRetiredSeconds: KEEP })));
      expect(new Set(loaded.flat().map((k) => k.kid)).size).toBe(1);
      expect(await fresh.db.oidcKey.count()).toBe(1);
    } finally {
      await fresh.drop();
    }
  });

  it("another AUTH_SECRET cannot open the keys or the client secrets", async () => {
    await expect(loadSigningKeys(t.db, "another-secret-another-secret-0123456789", { keepRetiredSeconds: KEEP })).rejects.toBeInstanceOf(UnsealError);
    const { client, clientSecret } = await createOidcClient(t.db, SECRET, { name: "sealed", redirectUris: ["https://app.example/cb"] });
    expect(client.secretSealed).not.toContain(clientSecret);
    expect(clientMetadata(client, SECRET).client_secret).toBe(clientSecret);
    expect(() => clientMetadata(client, "another-secret-another-secret-0123456789")).toThrow(UnsealError);
  });
});
