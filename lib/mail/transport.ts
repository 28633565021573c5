// Where mail goes: an SMTP relay when SMTP_URL is set, otherwise .eml files in
// OUTBOX_DIR (the embedded default, read back by the development outbox page).
// Plain Node: used by the worker, tests and scripts alike.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  kind: "smtp" | "outbox";
  /** Resolves once the relay accepted the message (or the file is written); rejects otherwise. */
  send(message: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailTransportOptions {
  /** smtp(s)://user:pass@host:port?…; unset writes .eml files to outboxDir instead. */
  smtpUrl?: string;
  outboxDir: string;
  /** The From: header, e.g. `Ticketgate <no-reply@example.com>`. */
  from: string;
}

// nodemailer's defaults let one send hang for minutes (2 min to connect, 10 min
// of socket silence). The outbox worker holds a 60 s lease per message; a send
// that outlives it may be taken over and delivered twice, so a send has to
// give up well before. The URL's own query (…?socketTimeout=…) still wins.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 } as const;

export function createMailTransport(options: MailTransportOptions): MailTransport {
  const headers = {
    // Tells vacation responders and list servers not to answer an automatic mail.
    "Auto-Submitted": "auto-generated",
  };

  if (options.smtpUrl) {
    // The URL is parsed by nodemailer itself, so TLS verification stays on
    // unless the operator writes ?tls.rejectUnauthorized=false into it.
    const transporter = nodemailer.createTransport(new SMTPTransport({ ...SMTP_TIMEOUTS, url: options.smtpUrl }));
    return {
      kind: "smtp",
      async send(message) {
        const info = await transporter.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers });
        if (info.rejected.length > 0) throw new Error(`the relay refused the recipient (${info.response})`);
      },
      close: () => transporter.close(),
    };
  }

  const dir = options.outboxDir;
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "outbox",
    async send(message) {
      const info = await transporter.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers });
      if (!Buffer.isBuffer(info.message)) throw new Error("outbox transport: expected a buffered message");
      // The files hold live sign-in links: readable by this user only.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replaceAll(":", "-")}-${randomBytes(6).toString("hex")}.eml`;
      // Written under a temporary name first, so a reader never sees half a message.
      const temporary = path.join(dir, `.${name}.tmp`);
      await writeFile(temporary, info.message, { mode: 0o600 });
      await rename(temporary, path.join(dir, name));
    },
    close: () => transporter.close(),
  };
}

export interface OutboxEntry {
  /** The file's name inside the outbox directory. */
  file: string;
  date: Date;
  to: string;
  subject: string;
  /** The text/plain part, decoded, with \n line ends. */
  text: string;
  /** The text/html part, decoded; "" when there is none. */
  html: string;
}

/** The newest `limit` mails written by the outbox transport, newest first. A missing directory is an empty outbox. */
export async function listOutbox(outboxDir: string, limit = 50): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(outboxDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  // Names start with the ISO time of writing, so the name order is the time order.
  const newest = names
    .filter((name) => name.endsWith(".eml") && !name.startsWith("."))
    .sort()
    .reverse()
    .slice(0, Math.max(0, limit));

  const entries: OutboxEntry[] = [];
  for (const file of newest) {
    const full = path.join(outboxDir, file);
    let raw: Buffer;
    try {
      raw = await readFile(full);
    } catch (error) {
      // Someone cleaned the outbox between the listing and the read.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    const parsed = parseEml(raw.toString("latin1"));
    const date = parsed.date ?? (await stat(full)).mtime;
    entries.push({ file, date, to: parsed.to, subject: parsed.subject, text: parsed.text, html: parsed.html });
  }
  return entries;
}

// ---------------------------------------------------------------------------
// A minimal MIME reader: enough for what nodemailer writes (headers, encoded
// words, multipart/alternative, 7bit/8bit, quoted-printable and base64 text).
// The raw message is taken as latin1 so every byte survives until the
// charset of each part is known.
// ---------------------------------------------------------------------------

export interface ParsedEml {
  to: string;
  subject: string;
  date: Date | null;
  /** The first text/plain part, decoded; "" when there is none. */
  text: string;
  /** The first text/html part, decoded; "" when there is none. */
  html: string;
}

/** Reads the headers and the text/plain and text/html parts of a message (raw bytes as a latin1 string). */
export function parseEml(raw: string): ParsedEml {
  const { headers, body } = splitEntity(raw);
  const dateHeader = headers.get("date");
  const date = dateHeader ? new Date(dateHeader) : null;
  return {
    to: decodeWords(headers.get("to") ?? ""),
    subject: decodeWords(headers.get("subject") ?? ""),
    date: date && !Number.isNaN(date.getTime()) ? date : null,
    text: findPart(headers, body, "text/plain", 0) ?? "",
    html: findPart(headers, body, "text/html", 0) ?? "",
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : "";
  const headers = new Map<string, string>();
  // Folded header lines continue with whitespace (RFC 5322 §2.2.3).
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, "");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type = "text/plain", ...rest] = (value ?? "text/plain").split(";");
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf("=");
    if (eq <= 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    let val = param.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1);
    params.set(key, val);
  }
  return { type: type.trim().toLowerCase(), params };
}

function findPart(headers: Map<string, string>, body: string, wanted: "text/plain" | "text/html", depth: number): string | null {
  const { type, params } = parseContentType(headers.get("content-type"));
  if (type.startsWith("multipart/")) {
    const boundary = params.get("boundary");
    // Nesting deeper than a few levels is not something nodemailer writes.
    if (!boundary || depth > 4) return null;
    for (const part of splitMultipart(body, boundary)) {
      const entity = splitEntity(part);
      const text = findPart(entity.headers, entity.body, wanted, depth + 1);
      if (text !== null) return text;
    }
    return null;
  }
  if (type !== wanted) return null;
  const bytes = decodeTransfer(body, headers.get("content-transfer-encoding"));
  return decodeCharset(bytes, params.get("charset")).replace(/\r\n/g, "\n");
}

function splitMultipart(body: string, boundary: string): string[] {
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) {
      if (current) parts.push(current.join("\n"));
      return parts;
    }
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join("\n"));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join("\n"));
  return parts;
}

function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? "7bit").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, "latin1");
  }
}

function decodeQuotedPrintable(body: string): Buffer {
  // Whitespace before a hard line break was added in transit (RFC 2045 §6.7,
  // rule 3); whitespace before a soft line break (= at the end of a line) is
  // text. Soft breaks join lines; =XX is one byte.
  const joined = body.replace(/[ \t]+(?=\r?\n)/g, "").replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const char = joined[i]!;
    if (char === "=" && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? "utf-8").trim().toLowerCase();
  try {
    return new TextDecoder(label === "us-ascii" ? "utf-8" : label).decode(bytes);
  } catch {
    // An unknown label: utf-8 is what nodemailer writes anyway.
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** Decodes RFC 2047 encoded words (=?utf-8?Q?…?= / =?utf-8?B?…?=) in a header value taken as latin1. */
function decodeWords(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text.
  const joined = value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?[^?]+\?[BbQq]\?[^?]*\?=)/g, "$1");
  const decoded = joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, charset: string, kind: string, text: string) => {
    const bytes = kind.toUpperCase() === "B" ? Buffer.from(text, "base64") : decodeQuotedPrintable(text.replace(/_/g, " "));
    // Encoded words may carry a language after '*' (RFC 2231): utf-8*en.
    return decodeCharset(bytes, charset.split("*")[0]);
  });
  // Unencoded 8-bit header bytes (nodemailer does not write them, others may) are utf-8.
  return /[\x80-\xff]/.test(decoded) && decoded === joined ? new TextDecoder("utf-8").decode(Buffer.from(decoded, "latin1")) : decoded;
}
