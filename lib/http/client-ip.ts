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

/** The eight 16-bit groups of an IPv6 address that isIP already accepted (zone id removed). */
function ipv6Groups(address: string): number[] {
  let head = address;
  const tail: number[] = [];
  const lastColon = address.lastIndexOf(":");
  const last = address.slice(lastColon + 1);
  if (last.includes(".")) {
    // A dotted IPv4 tail stands for the last two groups.
    const [a, b, c, d] = last.split(".").map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    head = address.slice(0, lastColon + 1);
    if (!head.endsWith("::")) head = head.slice(0, -1);
  }
  const hex = (part: string) => (part ? part.split(":") : []).map((group) => parseInt(group, 16));
  const gap = head.indexOf("::");
  if (gap < 0) return [...hex(head), ...tail];
  const left = hex(head.slice(0, gap));
  const right = hex(head.slice(gap + 2));
  return [...left, ...Array<number>(8 - tail.length - left.length - right.length).fill(0), ...right, ...tail];
}

/**
 * What a per-client rate limit counts: an IPv4 address itself (also when it
 * comes IPv4-mapped, `::ffff:1.2.3.4`), and an IPv6 address by its /64
 * network — one subscriber usually holds a whole /64 and can pick a new
 * address in it for every request. One spelling per subject, so `2001:DB8::1`
 * and `2001:db8:0:0::1` share a counter. Text that is not an address is kept
 * as it is: it still counts, against its own bucket, instead of escaping the
 * limit. History and display keep the full address; only limiter keys use this.
 */
export function rateLimitSubject(ip: string): string {
  const text = ip.trim();
  if (isIP(text) === 4) return text;
  // A zone id (fe80::1%eth0) names the local interface, not the client.
  const address = text.replace(/%[^%]+$/, "");
  if (isIP(address) !== 6) return ip;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}
