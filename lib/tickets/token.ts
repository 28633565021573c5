import { createHash, randomBytes } from "node:crypto";

/** 32 bytes from the OS CSPRNG: 256 bits, far above the 128 the rules ask for. */
const TICKET_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const TICKET_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A fresh raw ticket: URL-safe, never stored (only its hash is). */
export function generateTicket(): string {
  return randomBytes(TICKET_BYTES).toString("base64url");
}

/** The value the database keeps: SHA-256 of the raw ticket, hex. See docs/decisions/0004-tickets-are-stored-hashed.md. */
export function hashTicket(ticket: string): string {
  return createHash("sha256").update(ticket, "utf8").digest("hex");
}

/** Whether a string can be a ticket at all; anything else is refused without a database look-up. */
export function isWellFormedTicket(value: unknown): value is string {
  return typeof value === "string" && TICKET_FORMAT.test(value);
}
