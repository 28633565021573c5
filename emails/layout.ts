// The HTML frame shared by every mail. Mail clients ignore <style> blocks and
// external CSS unevenly (Gmail strips some, Outlook renders with Word), so
// styles are inline and the layout is a single centred table.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
/** Control characters (CR/LF above all) would break headers and the text part's lines. */
export function oneLine(value: string): string {
  return String(value).replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

export function escapeHtml(value: string): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

export const mailColors = {
  background: "#f6f7f9",
  surface: "#ffffff",
  text: "#1b1f24",
  muted: "#5b6470",
  border: "#dde1e6",
  accent: "#2f5bea",
  accentText: "#ffffff",
} as const;

export const mailFont = `-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;

export interface LayoutProps {
  /** The document title (shown by some clients and read by screen readers). Plain text. */
  title: string;
  /** The preview line clients show next to the subject. Plain text. */
  preheader?: string;
  /** Already-escaped HTML for the card's content. */
  bodyHtml: string;
  /** Already-escaped HTML for the small print under the card. */
  footerHtml?: string;
  lang?: string;
}

/** Wraps a mail's content in the shared frame. `bodyHtml` and `footerHtml` must already be escaped. */
export function renderLayout({ title, preheader, bodyHtml, footerHtml, lang = "en" }: LayoutProps): string {
  const c = mailColors;
  // The hidden preheader is followed by padding so clients do not pull body text into the preview line.
  const hiddenPreheader = preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:${c.background};opacity:0;">${escapeHtml(preheader)}${"&#8203;&nbsp;".repeat(40)}</div>`
    : "";
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(title)}</title>
</head>
<body style="margin:0;padding:0;background-color:${c.background};color:${c.text};font-family:${escapeHtml(mailFont)};">
${hiddenPreheader}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${c.background};">
<tr>
<td align="center" style="padding:32px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr>
<td style="background-color:${c.surface};border:1px solid ${c.border};border-radius:10px;padding:32px 28px;font-family:${escapeHtml(mailFont)};font-size:16px;line-height:1.5;color:${c.text};">
${bodyHtml}
</td>
</tr>
${footerHtml ? `<tr>\n<td style="padding:20px 28px 0;font-family:${escapeHtml(mailFont)};font-size:13px;line-height:1.5;color:${c.muted};">\n${footerHtml}\n</td>\n</tr>` : ""}
</table>
</td>
</tr>
</table>
</body>
</html>
`;
}

/**
 * A link styled as a button that survives mail clients (Outlook included):
 * the colour sits on the table cell, the link fills it. `href` must be an
 * http(s) URL; it is escaped here.
 */
export function renderButton(href: string, label: string): string {
  const c = mailColors;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0;">
<tr>
<td align="center" bgcolor="${c.accent}" style="border-radius:8px;background-color:${c.accent};">
<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer" style="display:inline-block;padding:12px 22px;font-family:${escapeHtml(mailFont)};font-size:16px;font-weight:600;line-height:1.2;color:${c.accentText};text-decoration:none;border-radius:8px;">${escapeHtml(label)}</a>
</td>
</tr>
</table>`;
}
