// What the provider keeps secret at rest — its private signing keys and the
// apps' client secrets — is sealed with AES-256-GCM under a key derived from
// AUTH_SECRET by HKDF, one key per purpose (the `info`), so a database dump
// alone reveals neither. Changing AUTH_SECRET makes them unreadable: see the
// README ("If AUTH_SECRET changes").
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What each sealed thing is derived for; a value sealed for one purpose does not open as another. */
export type SealPurpose = "oidc signing key" | "oidc client secret" | "oidc cookie keys";

/** The 32-byte key for `purpose`, derived from `secret` (an empty salt: the input already has its entropy). */
export function derivedKey(secret: string, purpose: SealPurpose): Buffer {
  if (typeof secret !== "string" || secret.length === 0) throw new TypeError("seal: the secret must be a non-empty string");
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `ticketgate ${purpose}`, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function seal(secret: string, purpose: SealPurpose, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(secret, purpose), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${VERSION} ${purpose}`));
  const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** Thrown when a sealed value cannot be opened: another AUTH_SECRET, damaged, or not sealed at all. */
export class UnsealError extends Error {
  constructor(purpose: SealPurpose) {
    super(`cannot open a sealed ${purpose}: was AUTH_SECRET changed? (README: "If AUTH_SECRET changes")`);
    this.name = "UnsealError";
  }
}

export function unseal(secret: string, purpose: SealPurpose, sealed: string): string {
  const [version, ivPart, tagPart, dataPart, extra] = sealed.split(".");
  if (version !== VERSION || !ivPart || !tagPart || dataPart === undefined || extra !== undefined) throw new UnsealError(purpose);
  try {
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(secret, purpose), Buffer.from(ivPart, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${VERSION} ${purpose}`));
    decipher.setAuthTag(Buffer.from(tagPart, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(dataPart, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new UnsealError(purpose);
  }
}
