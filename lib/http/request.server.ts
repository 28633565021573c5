import "server-only";

import { headers } from "next/headers";

import { pickClientIp } from "@/lib/http/client-ip";
import { env } from "@/lib/env";
import { isSameOriginRequest } from "@/lib/http/same-origin";
import type { Actor } from "@/lib/tickets";

import { CLIENT_IP_HEADER } from "./client-ip-header";

/** The client's address and user agent, as far as this server can trust them. */
export async function requestActor(): Promise<Actor> {
  const h = await headers();
  return { ip: clientIp(h, env().TRUST_PROXY), userAgent: h.get("user-agent")?.slice(0, 400) ?? null };
}

/** The client address from the request headers server.ts prepared. */
export function clientIp(h: Headers, trustProxy: boolean): string | null {
  return pickClientIp({ peer: h.get(CLIENT_IP_HEADER), forwardedFor: h.get("x-forwarded-for"), trustProxy });
}

/**
 * Same-origin check for state-changing requests (lib/http/same-origin.ts):
 * Origin is APP_URL's, or `null` from a browser that says the request is
 * same-origin. Browsers send Origin on every POST, so a missing one is refused.
 */
export async function isSameOrigin(): Promise<boolean> {
  const h = await headers();
  return isSameOriginRequest({ origin: h.get("origin"), secFetchSite: h.get("sec-fetch-site") }, env().APP_URL);
}
