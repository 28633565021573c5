// E-mail input: exactly one address, normalised. What is accepted and why
// is the policy in docs/design.md, "E-mail input".
import { z } from "zod";

export type NormalizedEmail = { ok: true; email: string } | { ok: false; error: string };

export const EMAIL_ERRORS = {
  notOne: "Enter one e-mail address, like name@example.com",
  empty: "Enter your e-mail address",
  notAscii: "Use plain letters, digits and a normal @ sign; look-alike characters are not accepted",
  control: "Enter the address on one line, without line breaks or control characters",
  several: "Enter only one e-mail address",
  punctuation: "Enter just the address, without quotes, brackets or a name",
  noAt: "Enter a full e-mail address, like name@example.com",
  tooLong: "That e-mail address is too long",
  localPart: "Check the part before the @",
  percent: "Remove the % sign: it routes mail through another server",
  localTooLong: "The part before the @ is too long",
  domain: "Check the part after the @, like example.com",
  ipDomain: "Use a domain name after the @, not an IP address",
} as const;

const MAX_TOTAL = 254;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;

// RFC 5322 atext, lower case only because the address is lower-cased first,
// and without `%` (refused before, with its own message).
const DOT_ATOM = /^[a-z0-9!#$&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DOTTED_NUMBERS = /^[0-9.]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const NON_ASCII = /[^\u0000-\u007f]/;
const SEPARATORS = /[\s,;]/;
const QUOTING = /["<>()[\]\\]/;

function fail(error: string): NormalizedEmail {
  return { ok: false, error };
}

/** ASCII space, tab and line breaks at either end: the only whitespace trimmed. */
const ASCII_EDGES = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function normalizeEmail(input: unknown): NormalizedEmail {
  if (typeof input !== "string") return fail(EMAIL_ERRORS.notOne);
  // Non-ASCII before anything else, on the raw input: case folding would turn
  // the Kelvin sign (U+212A) into "k", and trimming would drop Unicode
  // spaces, letting a look-alike reach a real account. It also keeps a
  // full-width ＠ from being reported as "no @".
  if (NON_ASCII.test(input)) return fail(EMAIL_ERRORS.notAscii);
  const email = input.replace(ASCII_EDGES, "").toLowerCase();
  if (email === "") return fail(EMAIL_ERRORS.empty);
  if (CONTROL.test(email)) return fail(EMAIL_ERRORS.control);
  // Quoting before separators: "Ada <ada@example.com>" is one address with a
  // name around it, and the helpful answer is to drop the name.
  if (QUOTING.test(email)) return fail(EMAIL_ERRORS.punctuation);
  if (SEPARATORS.test(email)) return fail(EMAIL_ERRORS.several);
  const at = email.indexOf("@");
  if (at === -1) return fail(EMAIL_ERRORS.noAt);
  if (email.indexOf("@", at + 1) !== -1) return fail(EMAIL_ERRORS.several);
  if (email.length > MAX_TOTAL) return fail(EMAIL_ERRORS.tooLong);

  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > MAX_LOCAL) return fail(EMAIL_ERRORS.localTooLong);
  // `a%b@relay` is delivered to a@b by relays that still honour source routing.
  if (local.includes("%")) return fail(EMAIL_ERRORS.percent);
  if (!DOT_ATOM.test(local)) return fail(EMAIL_ERRORS.localPart);

  if (DOTTED_NUMBERS.test(domain) && domain.includes(".")) return fail(EMAIL_ERRORS.ipDomain);
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (labels.length < 2 || /^[0-9]+$/.test(tld)) return fail(EMAIL_ERRORS.domain);
  if (!labels.every((label) => label.length <= MAX_LABEL && LABEL.test(label))) return fail(EMAIL_ERRORS.domain);

  return { ok: true, email };
}

/**
 * One e-mail address, normalised (see the policy above). Parses to the
 * normalised string; every refusal carries one short, human message.
 */
export const emailSchema = z.string({ error: EMAIL_ERRORS.notOne }).transform((value, ctx) => {
  const result = normalizeEmail(value);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.error });
    return z.NEVER;
  }
  return result.email;
});

/**
 * A mask's dots for `hidden` characters: one per character up to 8, then 12
 * for 9 to 12 and 16 for more, so a long local part gives only its length class away.
 */
function maskDots(hidden: number): string {
  return "•".repeat(hidden <= 8 ? hidden : hidden <= 12 ? 12 : 16);
}

/**
 * The address with most of its local part hidden, for pages and mails whose
 * reader may not own it (a link opened in another browser, the undo page and
 * mail of an address change). Where the reader does own it — the browser that
 * asked, a signed-in person's own address — show it in full instead.
 *
 * The first character stays, the last one too from three characters on, and
 * the dots between say how many are hidden (exactly up to 8, then 12 or 16):
 * `ada@example.com` → `a•a@example.com`, `ada.lovelace@example.com` →
 * `a••••••••••••e@example.com`. So a person tells their addresses apart, and
 * a reader learns two characters and a length. A local part of one or two
 * characters shows its first only (`a•@…`, `a••@…`); the domain is shown
 * whole. Masks are not unique — `ada@` and `ava@` look the same — only
 * unlikely to collide between the addresses one person has.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  // Array.from: whole code points, never half of a surrogate pair.
  const local = Array.from(email.slice(0, at));
  const first = local[0];
  if (local.length <= 2) return `${first}${"•".repeat(local.length)}${email.slice(at)}`;
  return `${first}${maskDots(local.length - 2)}${local[local.length - 1]}${email.slice(at)}`;
}
