// Headers every page gets (docs/design.md, "Headers on every page"), set by
// server.ts before Next.js renders, so no page can forget them.
//
// Scripts run only with this response's nonce: Next.js reads the nonce from
// the request's Content-Security-Policy header and puts it on every script it
// renders; 'strict-dynamic' lets those scripts load the app's chunks. A page
// therefore has to be rendered per request (app/layout.tsx is dynamic).
import { randomBytes } from "node:crypto";

export interface SecurityHeaderOptions {
  /** APP_URL: https turns on Strict-Transport-Security and upgrade-insecure-requests. */
  appUrl: string;
  /** `next dev` needs eval for fast refresh; production never does. */
  dev: boolean;
}

/** A fresh nonce per response: 128 bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string, options: SecurityHeaderOptions): string {
  const https = options.appUrl.startsWith("https://");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The headers for one page response, and the nonce Next.js must use for it. */
export function pageSecurityHeaders(options: SecurityHeaderOptions): { nonce: string; headers: Record<string, string> } {
  const nonce = createNonce();
  const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy(nonce, options) };
  // Browsers ignore HSTS over http, and a local http deployment must stay reachable.
  if (options.appUrl.startsWith("https://")) headers["Strict-Transport-Security"] = "max-age=31536000";
  return { nonce, headers };
}
