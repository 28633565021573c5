import "server-only";

import { isIP } from "node:net";

import { headers } from "next/headers";

import { env } from "@/lib/env";
import type { Actor } from "@/lib/tickets";

import { CLIENT_IP_HEADER } from "./client-ip-header";

/** The client's address and user agent, as far as this server can trust them. */
export async function requestActor(): Promise<Actor> {
  const h = await headers();
  return { ip: clientIp(h, env().TRUST_PROXY), userAgent: h.get("user-agent")?.slice(0, 400) ?? null };
}

/**
 * Behind a proxy you run (TRUST_PROXY=true), the proxy appends the address
 * it saw to X-Forwarded-For, so the last entry is the one to believe; any
 * earlier entries came from the client. Without it, the socket address.
 */
export function clientIp(h: Headers, trustProxy: boolean): string | null {
  const candidate = trustProxy ? h.get("x-forwarded-for")?.split(",").at(-1)?.trim() : h.get(CLIENT_IP_HEADER)?.trim();
  if (!candidate) return null;
  const unmapped = candidate.startsWith("::ffff:") && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(unmapped) ? unmapped : null;
}

/**
 * Same-origin check for state-changing requests: the Origin header must be
 * APP_URL's origin. Browsers send Origin on every POST, so a missing one is
 * refused too. (Server actions also get Next.js's own Origin/Host check.)
 */
export async function isSameOrigin(): Promise<boolean> {
  const origin = (await headers()).get("origin");
  return origin !== null && origin === env().APP_URL;
}
