import "server-only";

import { headers } from "next/headers";

import { pickClientIp } from "@/lib/client-ip";
import { env } from "@/lib/env";
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
 * Same-origin check for state-changing requests: the Origin header must be
 * APP_URL's origin. Browsers send Origin on every POST, so a missing one is
 * refused too. (Server actions also get Next.js's own Origin/Host check.)
 */
export async function isSameOrigin(): Promise<boolean> {
  const origin = (await headers()).get("origin");
  return origin !== null && origin === env().APP_URL;
}
