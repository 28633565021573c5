// Mail bodies in the outbox carry live sign-in links, so they are stored
// encrypted: AES-256-GCM under a key derived from AUTH_SECRET. Anyone who can
// read the database (a backup, a replica, an admin query) sees only ciphertext.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const VERSION = "v1";
const INFO = "ticketgate mail outbox";
const IV_BYTES = 12;
const TAG_BYTES = 16;

// HKDF is cheap, but the worker opens every message it sends; one cached key
// per secret avoids re-deriving it for each.
const keys = new Map<string, Buffer>();

function keyFor(secret: string): Buffer {
  if (typeof secret !== "string" || secret.length === 0) throw new TypeError("mail seal: the secret must be a non-empty string");
  let key = keys.get(secret);
  if (!key) {
    // An empty salt is what RFC 5869 allows when the input already has enough entropy;
    // the info string separates this key from anything else derived from AUTH_SECRET.
    key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), INFO, 32));
    if (keys.size >= 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** Encrypts a mail's content: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function sealMail(secret: string, content: MailContent): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), iv, { authTagLength: TAG_BYTES });
  // The version is authenticated too, so a v1 body cannot be replayed under a later format.
  cipher.setAAD(Buffer.from(VERSION));
  const plaintext = Buffer.from(JSON.stringify({ subject: content.subject, text: content.text, html: content.html }), "utf8");
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** Thrown when a sealed body cannot be opened: wrong secret, damaged or not a sealed body at all. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

/** Decrypts what `sealMail` produced with the same secret. Throws SealError otherwise. */
export function openMail(secret: string, sealed: string): MailContent {
  const parts = typeof sealed === "string" ? sealed.split(".") : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError("mail seal: not a sealed mail body");
  const [, ivPart = "", tagPart = "", dataPart = ""] = parts;
  const iv = Buffer.from(ivPart, "base64url");
  const tag = Buffer.from(tagPart, "base64url");
  const data = Buffer.from(dataPart, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError("mail seal: not a sealed mail body");

  const key = keyFor(secret);
  let plaintext: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    // Deliberately vague: the cause is almost always a changed AUTH_SECRET.
    throw new SealError("mail seal: cannot open the sealed body (wrong secret or damaged data)");
  }

  const parsed: unknown = JSON.parse(plaintext);
  if (!isMailContent(parsed)) throw new SealError("mail seal: the sealed body has an unexpected shape");
  return { subject: parsed.subject, text: parsed.text, html: parsed.html };
}

function isMailContent(value: unknown): value is MailContent {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.subject === "string" && typeof record.text === "string" && typeof record.html === "string";
}
