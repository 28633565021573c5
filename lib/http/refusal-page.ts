// The page server.ts answers with when it refuses a browser's request itself
// (before Next.js renders anything): a styled page with a way back, not a line
// of text. Self-contained — no scripts, no external styles — so it renders
// under its own strict Content-Security-Policy.
import type { ServerResponse } from "node:http";

export const STYLE = `
:root{color-scheme:light;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
body{margin:0;background:#f6f7f9;color:#1b1f24;line-height:1.5}
header{padding:1rem 1.5rem;border-bottom:1px solid #dde1e6;background:#fff}
header a{font-weight:700;text-decoration:none;color:#1b1f24}
main{max-width:44rem;margin:0 auto;padding:2.5rem 1.25rem 4rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:1.75rem}
h1{font-size:1.75rem;line-height:1.2;margin:0 0 .75rem;letter-spacing:-.02em}
p{color:#5b6470;font-size:1.05rem;margin-top:0}
.button{display:inline-block;border-radius:8px;padding:.7rem 1.1rem;font-weight:600;background:#2f5bea;color:#fff;text-decoration:none}
@media (max-width:560px){main{padding-top:1.25rem}.card{padding:1.25rem}}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Refusal {
  status: 400 | 403 | 413;
  title: string;
  message: string;
  /** Where the button leads (an absolute URL of this site) and what it says. */
  back: { href: string; label: string };
}

export function renderRefusal(refusal: Refusal): string {
  const { title, message, back } = refusal;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ticketgate</title><meta name="robots" content="noindex"><style>${STYLE}</style></head>
<body><header><a href="${escapeHtml(back.href)}">Ticketgate</a></header>
<main><div class="card" data-refused="${refusal.status}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<a class="button" href="${escapeHtml(back.href)}">${escapeHtml(back.label)}</a></div></main></body></html>
`;
}

export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  res.writeHead(refusal.status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
  res.end(renderRefusal(refusal));
}

/** A form another site sent: nothing was done. */
export function crossSiteRefusal(appUrl: string): Refusal {
  return {
    status: 403,
    title: "This form came from another site",
    message: `Nothing was changed. Ticketgate only accepts forms sent from its own pages at ${appUrl}. If you were in the middle of something, open Ticketgate and try again from there.`,
    back: { href: `${appUrl}/`, label: "Go to Ticketgate" },
  };
}
