// Reads the mail the app really sent (caught by e2e/support/mail-catcher.ts).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export const MAIL_DIR = path.resolve("e2e/.artifacts/mail");

export interface CaughtMail {
  receivedAt: string;
  to: string[];
  raw: string;
  subject: string;
  /** The decoded text/plain part. */
  text: string;
}

function decode(raw: string): CaughtMail["text"] {
  // nodemailer writes the text part quoted-printable or base64; handle both.
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const textPart = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) ?? raw;
  const [head, ...bodyLines] = textPart.split(/\r?\n\r?\n/);
  const body = bodyLines.join("\n\n");
  if (/content-transfer-encoding:\s*base64/i.test(head ?? "")) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head ?? "")) {
    return Buffer.from(
      body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  }
  return body;
}

function read(file: string): CaughtMail {
  const data = JSON.parse(readFileSync(file, "utf8")) as { receivedAt: string; to: string[]; raw: string };
  const subjectLine = /^subject:\s*(.*)$/im.exec(data.raw)?.[1] ?? "";
  return { ...data, subject: subjectLine.trim(), text: decode(data.raw) };
}

export function allMail(): CaughtMail[] {
  if (!existsSync(MAIL_DIR)) return [];
  return readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => read(path.join(MAIL_DIR, f)));
}

/** Waits for the next mail to `to` that arrived after `since` (ms since epoch). */
export async function waitForMail(to: string, since: number, timeoutMs = 15_000): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = allMail().find((m) => m.to.includes(to.toLowerCase()) && Date.parse(m.receivedAt) >= since);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function linkIn(mail: CaughtMail): string {
  const link = /https?:\/\/\S+\/ticket\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no ticket link in mail "${mail.subject}"`);
  return link;
}

/** The 8-character code an e-mail change's undo mail prints (K7PD-M3QX), to be typed on its page. */
export function undoCodeIn(mail: CaughtMail): string {
  const code = /asks for this code:\s*([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no undo code in mail "${mail.subject}"`);
  return code;
}

export function codeIn(mail: CaughtMail): string {
  const code = /\b(\d{3})[ -]?(\d{3})\b/.exec(mail.text);
  if (!code) throw new Error(`no code in mail "${mail.subject}"`);
  return `${code[1]}${code[2]}`;
}
