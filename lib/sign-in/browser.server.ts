import "server-only";

// The asking browser's cookie (decision 15): a random secret that binds the
// tickets this browser asks for to it. HttpOnly and SameSite=Lax, Secure over
// https. Its path is the site's root because both /login (the code, the
// approval) and /ticket (the one-press check) read it; nothing else does.
import { cookies } from "next/headers";

import { env } from "@/lib/env";
import { newSecret } from "@/lib/secrets";

export const BROWSER_COOKIE = "tg_browser";
/** Kept as long as the longest-lived ticket a browser may ask for (an e-mail change: days), renewed at each request. */
const COOKIE_DAYS = 30;
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

/** This browser's secret, if it has asked for anything. */
export async function browserSecret(): Promise<string | undefined> {
  const value = (await cookies()).get(BROWSER_COOKIE)?.value;
  return value && WELL_FORMED.test(value) ? value : undefined;
}

/** This browser's secret, made now if it has none; the cookie is renewed either way. Only in server actions (they may set cookies). */
export async function ensureBrowserSecret(): Promise<string> {
  const secret = (await browserSecret()) ?? newSecret();
  (await cookies()).set(BROWSER_COOKIE, secret, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge: COOKIE_DAYS * 86_400,
  });
  return secret;
}
