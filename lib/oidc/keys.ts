// The provider's signing keys: made on first start, kept sealed in
// `oidc_keys` (lib/oidc/seal.ts), the newest one current. Rotating adds a new
// current key and retires the others; a retired key stays in the published
// JWKS while what it signed may still be shown to a relying party (an ID
// token lives an hour, but relying parties send it back as id_token_hint at
// logout for as long as their session lasts, bounded by the refresh token's
// lifetime), then it is deleted.
import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";

import { seal, unseal } from "./seal";

export type SigningJwk = Record<string, unknown> & { kid: string; alg: string; use: "sig" };

function newRsaKey(kid: string): SigningJwk {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { ...jwk, kid, alg: "RS256", use: "sig" };
}

/**
 * The first key's id is the same for every instance sharing AUTH_SECRET, so
 * instances starting together on an empty table make one key, not one each
 * (each would publish only its own); the others' inserts fail and they read it.
 */
function firstKid(authSecret: string): string {
  return `k0-${createHmac("sha256", authSecret).update("ticketgate oidc first signing key").digest("base64url").slice(0, 16)}`;
}

async function addKey(db: Pick<Db, "oidcKey">, authSecret: string, now: Date, kid = randomBytes(12).toString("base64url")): Promise<SigningJwk> {
  const jwk = newRsaKey(kid);
  await db.oidcKey.create({ data: { id: jwk.kid, alg: jwk.alg, sealed: seal(authSecret, "oidc signing key", JSON.stringify(jwk)), createdAt: now } });
  return jwk;
}

/**
 * The keys to publish and sign with, current first (oidc-provider signs with
 * the first key of an algorithm). Creates the first key when there is none.
 * Throws UnsealError when AUTH_SECRET no longer opens them.
 */
export async function loadSigningKeys(db: Pick<Db, "oidcKey">, authSecret: string, options: { keepRetiredSeconds: number; now?: Date }): Promise<SigningJwk[]> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.keepRetiredSeconds * 1000);
  const read = () => db.oidcKey.findMany({ where: { OR: [{ retiredAt: null }, { retiredAt: { gt: cutoff } }] }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  let rows = await read();
  if (rows.length === 0) {
    await addKey(db, authSecret, now, firstKid(authSecret)).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
    rows = await read();
    // The first key's id is taken by a retired key (the current ones deleted by hand): a new one.
    if (rows.length === 0) return [await addKey(db, authSecret, now)];
  }
  return rows.map((row) => JSON.parse(unseal(authSecret, "oidc signing key", row.sealed)) as SigningJwk);
}

/** Adds a new current key and retires the others (kept in the JWKS for `keepRetiredSeconds`); deletes keys retired longer ago. */
export async function rotateSigningKeys(db: Db, authSecret: string, options: { keepRetiredSeconds: number; now?: Date }): Promise<{ kid: string; retired: number; deleted: number }> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const retired = (await tx.oidcKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } })).count;
    const deleted = (await tx.oidcKey.deleteMany({ where: { retiredAt: { lt: new Date(now.getTime() - options.keepRetiredSeconds * 1000) } } })).count;
    const jwk = await addKey(tx, authSecret, new Date(now.getTime() + 1));
    return { kid: jwk.kid, retired, deleted };
  });
}
