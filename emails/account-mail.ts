// The shared shape of the account mails (password reset, new account, e-mail
// change and their notices): a heading, a few paragraphs, at most one button,
// the small print. Every value is escaped in the HTML part and kept to one
// line where a line break could forge text.
import { escapeHtml, mailColors, oneLine, renderButton, renderLayout } from "./layout";
import type { RenderedEmail } from "./login-link";

export interface AccountMailParts {
  subject: string;
  heading: string;
  /** Plain-text paragraphs before the button. */
  paragraphs: string[];
  /** The ticket link, when the mail carries one (must be http(s)). */
  button?: { url: string; label: string };
  /** A code to type on the page the link opens, shown after the button. */
  code?: { label: string; value: string };
  /** Plain-text paragraphs after the button. */
  after?: string[];
  /** Pages to act on (not tickets: plain links to the app), after those paragraphs. */
  links?: { label: string; url: string }[];
  /** Small print: why the mail came, who asked. */
  footer?: string[];
}


export function appNameOf(appName: string | undefined): string {
  return oneLine(appName ?? "Ticketgate") || "Ticketgate";
}

/** "This request came from the address …", or nothing when unknown. */
export function fromLine(ip: string | null | undefined, what = "This request"): string[] {
  return ip ? [`${what} came from the address ${oneLine(ip)}.`] : [];
}

export function renderAccountMail(parts: AccountMailParts): RenderedEmail {
  if (parts.button && !/^https?:\/\//i.test(parts.button.url)) throw new TypeError("account mail: the link must be an absolute http(s) URL");
  const subject = oneLine(parts.subject);
  const after = parts.after ?? [];
  const footer = parts.footer ?? [];
  const url = parts.button ? oneLine(parts.button.url) : null;
  for (const link of parts.links ?? []) if (!/^https?:\/\//i.test(link.url)) throw new TypeError("account mail: a link must be an absolute http(s) URL");
  const links = (parts.links ?? []).map((link) => ({ label: oneLine(link.label), url: oneLine(link.url) }));

  const code = parts.code ? { label: oneLine(parts.code.label), value: oneLine(parts.code.value) } : null;
  const text = [
    oneLine(parts.heading),
    "",
    ...parts.paragraphs.flatMap((p) => [p, ""]),
    ...(url ? [url, ""] : []),
    ...(code ? [`${code.label} ${code.value}`, ""] : []),
    ...after.flatMap((p) => [p, ""]),
    ...links.flatMap((link) => [`${link.label}: ${link.url}`, ""]),
    ...footer.flatMap((p) => [p, ""]),
  ].join("\n");

  const c = mailColors;
  const paragraph = (p: string) => `<p style="margin:0 0 12px;">${escapeHtml(p)}</p>`;
  const bodyHtml = [
    `<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;font-weight:700;color:${c.text};">${escapeHtml(oneLine(parts.heading))}</h1>`,
    ...parts.paragraphs.map(paragraph),
    ...(url && parts.button
      ? [
          renderButton(url, oneLine(parts.button.label)),
          `<p style="margin:0 0 4px;font-size:14px;color:${c.muted};">If the button does not work, copy this link into your browser:</p>`,
          `<p style="margin:0 0 16px;font-size:14px;word-break:break-all;"><a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer" style="color:${c.accent};">${escapeHtml(url)}</a></p>`,
        ]
      : []),
    ...(code
      ? [
          `<p style="margin:0 0 8px;">${escapeHtml(code.label)}</p>`,
          `<p style="margin:0 0 24px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:28px;font-weight:700;letter-spacing:3px;color:${c.text};">${escapeHtml(code.value)}</p>`,
        ]
      : []),
    ...after.map(paragraph),
    ...links.map((link) => `<p style="margin:0 0 8px;"><a href="${escapeHtml(link.url)}" target="_blank" rel="noopener noreferrer" style="color:${c.accent};">${escapeHtml(link.label)}</a></p>`),
  ].join("\n");
  const footerHtml = footer.length ? footer.map((p) => `<p style="margin:0 0 8px;">${escapeHtml(p)}</p>`).join("\n") : undefined;
  return { subject, text, html: renderLayout({ title: subject, preheader: parts.paragraphs[0]?.slice(0, 120), bodyHtml, footerHtml }) };
}
