// Personal API tokens (Bugzilla's issue_api_token) on real databases.
import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MAX_LIVE_TOKENS, apiTokenOwner, authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/account/api-tokens";

import { type Harness, address, createHarness } from "./harness";
import { engines } from "../support/databases";

describe.each(engines)("personal API tokens on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(async () => h?.close());

  async function user() {
    return (await h.t.db.user.create({ data: { email: address("tokens") } })).id;
  }

  it("shows the token once and keeps only its SHA-256 and a prefix", async () => {
    const userId = await user();
    const created = await createApiToken(h.t.db, userId, "backup script");
    if (created.status !== "created") throw new Error("not created");
    expect(created.token).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);
    const row = await h.t.db.personalApiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(row.prefix).toBe(created.token.slice(0, 10));
    expect(JSON.stringify(await h.t.raw("SELECT * FROM personal_api_tokens"))).not.toContain(created.token);
    const [listed] = await listApiTokens(h.t.db, userId);
    expect(listed).toMatchObject({ name: "backup script", prefix: created.prefix, lastUsedAt: null, revokedAt: null });
    expect(listed).not.toHaveProperty("tokenHash");
  });

  it("records use, and stops working once revoked — only by its owner", async () => {
    const owner = await user();
    const stranger = await user();
    const created = await createApiToken(h.t.db, owner, "ci");
    if (created.status !== "created") throw new Error("not created");
    expect(await authenticateApiToken(h.t.db, created.token, "192.0.2.8")).toEqual({ userId: owner });
    const [used] = await listApiTokens(h.t.db, owner);
    expect(used).toMatchObject({ lastUsedIp: "192.0.2.8" });
    expect(used!.lastUsedAt).not.toBeNull();

    expect(await revokeApiToken(h.t.db, stranger, created.id)).toBe(false);
    expect(await authenticateApiToken(h.t.db, created.token, null)).not.toBeNull();
    expect(await revokeApiToken(h.t.db, owner, created.id)).toBe(true);
    expect(await authenticateApiToken(h.t.db, created.token, null)).toBeNull();
    // A revoked token leaves the owner's list.
    expect(await listApiTokens(h.t.db, owner)).toEqual([]);
    expect(await authenticateApiToken(h.t.db, "tgp_unknown", null)).toBeNull();
    expect(await authenticateApiToken(h.t.db, ["tgp_x"], null)).toBeNull();
  });

  it("tells who the token stands for — id, address and name only — and records the use", async () => {
    const owner = await h.t.db.user.create({ data: { email: address("owner"), name: "Ada", role: "admin", passwordHash: "not-to-be-shown" } });
    const created = await createApiToken(h.t.db, owner.id, "script");
    if (created.status !== "created") throw new Error("not created");
    const at = new Date("2030-01-01T00:00:00Z");
    expect(await apiTokenOwner(h.t.db, created.token, "192.0.2.9", at)).toEqual({ id: owner.id, email: owner.email, name: "Ada" });
    expect((await listApiTokens(h.t.db, owner.id))[0]).toMatchObject({ lastUsedAt: at, lastUsedIp: "192.0.2.9" });
    expect(await apiTokenOwner(h.t.db, "tgp_unknown", null)).toBeNull();
    await revokeApiToken(h.t.db, owner.id, created.id);
    expect(await apiTokenOwner(h.t.db, created.token, null)).toBeNull();
  });

  it("a disabled account's tokens do not work", async () => {
    const owner = await user();
    const created = await createApiToken(h.t.db, owner, "x");
    if (created.status !== "created") throw new Error("not created");
    await h.t.db.user.update({ where: { id: owner }, data: { disabled: true } });
    expect(await authenticateApiToken(h.t.db, created.token, null)).toBeNull();
  });

  it(`caps live tokens at ${MAX_LIVE_TOKENS} per person`, async () => {
    const owner = await user();
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) expect((await createApiToken(h.t.db, owner, `t${i}`)).status).toBe("created");
    expect((await createApiToken(h.t.db, owner, "one more")).status).toBe("too-many");
  });

  it(`holds the cap under parallel requests: ${MAX_LIVE_TOKENS * 2} at once leave at most ${MAX_LIVE_TOKENS} live tokens`, async () => {
    const owner = await user();
    const outcomes = await Promise.all(Array.from({ length: MAX_LIVE_TOKENS * 2 }, (_, i) => createApiToken(h.t.db, owner, `p${i}`)));
    const live = await h.t.db.personalApiToken.count({ where: { userId: owner, revokedAt: null } });
    expect(live).toBeLessThanOrEqual(MAX_LIVE_TOKENS);
    // Every token handed out is one that exists: none was shown and then taken back.
    expect(outcomes.filter((o) => o.status === "created")).toHaveLength(live);
  });
});
