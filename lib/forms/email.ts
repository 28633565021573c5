// E-mail input (DESIGN.md, "E-mail input: exactly one address, normalised;
// lists, arrays, quoted local parts with `@`, look-alike `@` signs and CR/LF
// are refused").
//
// Policy. The address becomes a ticket's owner, a User's unique key, a rate
// limit bucket and an SMTP envelope recipient, so every one of those places
// must agree on what "the same address" is and none of them may be tricked
// into addressing a second recipient. We therefore accept a deliberately
// narrow subset of RFC 5321/5322 rather than everything a mail server might:
//
// - Exactly one string: arrays, objects, numbers and null are refused (a
//   form field or JSON body that carries a list must not slip through as
//   its first element or as "a@b.co,c@d.co").
// - Normalised: surrounding whitespace trimmed and the WHOLE address
//   lower-cased. RFC 5321 lets a server treat local parts case-sensitively,
//   but no mainstream provider does, and case-sensitive identities would let
//   "Ada@" and "ada@" own different accounts and rate limit buckets.
// - ASCII only. Non-ASCII is where the look-alikes live: full-width `＠`
//   (U+FF20), small `﹫` (U+FE6B), Cyrillic `а` in "exаmple.com", zero-width
//   characters. Internationalised addresses (SMTPUTF8) are rare enough that
//   refusing them costs less than normalising them safely; an IDN domain can
//   still be typed in its punycode (xn--) form.
// - No second recipient: no `,` `;` or whitespace inside, one `@` only, no
//   control characters (CR/LF/NUL would let a value inject mail headers).
// - No quoted local parts and none of `"` `<` `>` `(` `)` `[` `]` `\`: these
//   are how `"a@b"@evil.com`, `Name <a@b>` and comments smuggle a different
//   address past a naive "contains @" check.
// - Local part: RFC 5322 dot-atom (atext characters, which include `%`,
//   `+`, `'`), no leading, trailing or double dot, at most 64 characters.
// - Domain: a host name of at least two labels, each [a-z0-9-], 1 to 63
//   characters, not starting or ending with `-`; no IP literals (`[1.2.3.4]`
//   or a dotted quad); the top-level label is not all digits. `%` and every
//   other character outside [a-z0-9-.] is refused in the domain.
// - At most 254 characters in all (the longest address SMTP can carry in a
//   path).
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
  localTooLong: "The part before the @ is too long",
  domain: "Check the part after the @, like example.com",
  ipDomain: "Use a domain name after the @, not an IP address",
} as const;

const MAX_TOTAL = 254;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;

// RFC 5322 atext, lower case only because the address is lower-cased first.
const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DOTTED_NUMBERS = /^[0-9.]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const NON_ASCII = /[^\u0000-\u007f]/;
const SEPARATORS = /[\s,;]/;
const QUOTING = /["<>()[\]\\]/;

function fail(error: string): NormalizedEmail {
  return { ok: false, error };
}

export function normalizeEmail(input: unknown): NormalizedEmail {
  if (typeof input !== "string") return fail(EMAIL_ERRORS.notOne);
  const email = input.trim().toLowerCase();
  if (email === "") return fail(EMAIL_ERRORS.empty);
  // Non-ASCII before anything else: a full-width ＠ would otherwise be
  // reported as "no @", which sends the person looking in the wrong place.
  if (NON_ASCII.test(email)) return fail(EMAIL_ERRORS.notAscii);
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
 * The address with its local part hidden, e.g. `a…@example.com`, for pages
 * that confirm where mail went without disclosing the address to whoever
 * looks at the screen (or at a URL that carries it).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "…";
  // Array.from: the first code point, not half of a surrogate pair.
  const first = Array.from(email.slice(0, at))[0] ?? "";
  return `${first}…${email.slice(at)}`;
}
