// The sign-in mail: the link (as a button and as text, for clients that
// strip buttons), the one-time code for another device, when both expire,
// and who asked. Every interpolated value is escaped in the HTML part.
import { formatMinutes } from "@/lib/format";

import { escapeHtml, mailColors, oneLine, renderButton, renderLayout } from "./layout";

export interface LoginLinkEmailProps {
  /** The ticket link, built from APP_URL. */
  url: string;
  /** The one-time code, e.g. "123456" (shown as "123-456"). */
  code: string;
  expiresInMinutes: number;
  appName?: string;
  /** The address the request came from, when known. */
  requestedFromIp?: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Example props for previews and tests. The ticket in the URL is not a real one. */
export const loginLinkEmailPreview: LoginLinkEmailProps = {
  url: "http://localhost:3000/ticket/preview-ticket-not-valid",
  code: "123456",
  expiresInMinutes: 15,
  appName: "Ticketgate",
  requestedFromIp: "192.0.2.10",
};

export function loginLinkEmail(props: LoginLinkEmailProps): RenderedEmail {
  // The link goes into an href: anything but http(s) (javascript:, data:) is a bug upstream.
  // The message does not quote the URL, which holds a live ticket.
  if (!/^https?:\/\//i.test(props.url)) throw new TypeError("loginLinkEmail: url must be an absolute http(s) URL");
  const appName = oneLine(props.appName ?? "Ticketgate") || "Ticketgate";
  const url = oneLine(props.url);
  const code = formatCode(oneLine(props.code));
  const expires = formatMinutes(props.expiresInMinutes);
  const ip = props.requestedFromIp ? oneLine(props.requestedFromIp) : "";

  const subject = `Your sign-in link for ${appName}`;
  const ignore = "If you did not ask for this, you can ignore this mail; nobody can sign in without this link.";
  const from = ip ? `This request came from the address ${ip}.` : "";

  const text = [
    `Sign in to ${appName}`,
    "",
    "Open this link to sign in:",
    "",
    url,
    "",
    `Or type this code on the device where you asked: ${code}`,
    "",
    `The link and the code work once and expire in ${expires}.`,
    "",
    ignore,
    ...(from ? [from] : []),
    "",
  ].join("\n");

  const c = mailColors;
  const bodyHtml = `<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;font-weight:700;color:${c.text};">Sign in to ${escapeHtml(appName)}</h1>
<p style="margin:0 0 8px;">Press the button to sign in. The link works once and expires in ${escapeHtml(expires)}.</p>
${renderButton(url, `Sign in to ${appName}`)}
<p style="margin:0 0 8px;">Or type this code on the device where you asked:</p>
<p style="margin:0 0 24px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:28px;font-weight:700;letter-spacing:3px;color:${c.text};">${escapeHtml(code)}</p>
<p style="margin:0 0 4px;font-size:14px;color:${c.muted};">If the button does not work, copy this link into your browser:</p>
<p style="margin:0;font-size:14px;word-break:break-all;"><a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer" style="color:${c.accent};">${escapeHtml(url)}</a></p>`;

  const footerHtml = `<p style="margin:0 0 8px;">${escapeHtml(ignore)}</p>${from ? `\n<p style="margin:0;">${escapeHtml(from)}</p>` : ""}`;

  const html = renderLayout({
    title: subject,
    preheader: `Your sign-in code is ${code}. The link expires in ${expires}.`,
    bodyHtml,
    footerHtml,
  });
  return { subject, text, html };
}


/** "123456" → "123-456": halves are easier to read and type. Other shapes are shown as they are. */
export function formatCode(code: string): string {
  if (/^[0-9A-Za-z]+$/.test(code) && code.length >= 6 && code.length % 2 === 0) {
    return `${code.slice(0, code.length / 2)}-${code.slice(code.length / 2)}`;
  }
  return code;
}
