/**
 * next-auth's session cookie for an app served at `appUrl`. Over https the
 * `__Host-` prefix makes the browser refuse the cookie unless it is Secure,
 * for this exact host and path "/", so no sibling subdomain can set or
 * shadow it.
 */
export function sessionCookieFor(appUrl: string) {
  const secure = new URL(appUrl).protocol === "https:";
  return {
    name: secure ? "__Host-authjs.session-token" : "authjs.session-token",
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}
