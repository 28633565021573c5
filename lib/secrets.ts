// Bearer secrets — tickets, session cookies, API keys, personal API tokens,
// the sign-in code's browser cookie — are made and stored one way: 32 bytes
// from the CSPRNG in base64url, kept only as SHA-256 in hex
// (docs/decisions/0004-tickets-are-stored-hashed.md).
import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 bits, far above the 128 docs/design.md asks for. */
const SECRET_BYTES = 32;

/** A fresh secret, shown once; `prefix` ("tg_") tells secret scanners what it is. */
export function newSecret(prefix = ""): string {
  return `${prefix}${randomSlice().toString("base64url")}`;
}

/**
 * The CSPRNG read 8 KiB at a time: one call per secret was a measurable
 * share of issuing an API ticket. Each 32-byte slice is handed out once and
 * the pool is refilled when spent, as Node does for randomUUID.
 */
const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function randomSlice(): Buffer {
  if (offset + SECRET_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const slice = pool.subarray(offset, offset + SECRET_BYTES);
  offset += SECRET_BYTES;
  return slice;
}

/** What the database keeps: SHA-256 of the whole value (prefix included), hex. */
export function hashSecret(secret: string): string {
  // The one-shot hash: half the cost of createHash().update().digest() on the hot path.
  return hash("sha256", secret, "hex");
}

/** Two hex hashes compared in constant time; a malformed one is not equal rather than an exception. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length > 0 && left.length === right.length && timingSafeEqual(left, right);
}
