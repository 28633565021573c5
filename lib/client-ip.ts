import { isIP } from "node:net";

/**
 * The client's address, as far as the server can trust it. Behind a proxy
 * you run (trustProxy), the proxy appends the address it saw to
 * X-Forwarded-For, so the last entry is the one to believe — earlier entries
 * came from the client. Otherwise the TCP peer address.
 */
export function pickClientIp(opts: { peer: string | null | undefined; forwardedFor: string | null | undefined; trustProxy: boolean }): string | null {
  const candidate = (opts.trustProxy ? opts.forwardedFor?.split(",").at(-1) : opts.peer)?.trim();
  if (!candidate) return null;
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; one client, one spelling.
  const unmapped = candidate.startsWith("::ffff:") && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(unmapped) ? unmapped : null;
}
