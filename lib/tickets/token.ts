import { hashSecret, newSecret } from "@/lib/secrets";

/** base64url of 32 bytes, unpadded (lib/secrets.ts). */
const TICKET_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A fresh raw ticket: 256 bits, URL-safe, never stored (only its hash is). */
export function generateTicket(): string {
  return newSecret();
}

/** The value the database keeps: SHA-256 of the raw ticket, hex. See docs/decisions/0004-tickets-are-stored-hashed.md. */
export function hashTicket(ticket: string): string {
  return hashSecret(ticket);
}

/** Whether a string can be a ticket at all; anything else is refused without a database look-up. */
export function isWellFormedTicket(value: unknown): value is string {
  return typeof value === "string" && TICKET_FORMAT.test(value);
}
