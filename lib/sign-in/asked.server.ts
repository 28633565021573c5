import "server-only";

// What this browser last asked a sign-in link for — the address it typed and
// where it was going — so the check page can name the address ("we sent a
// link to ada@example.com"), ask again for the same one and keep the
// destination. It is the person's own input, kept in their browser only:
// HttpOnly, SameSite=Lax, for /login, as long as the link lives. Whether the
// address has an account is not in it, so the page says the same either way.
import { cookies } from "next/headers";

import { actionPaths } from "@/lib/action-paths";
import { env } from "@/lib/env";
import { emailSchema } from "@/lib/forms/email";
import { runtime } from "@/lib/runtime";

const ASKED_COOKIE = "tg_asked";

export interface Asked {
  email: string;
  next: string | null;
  /** When the link was asked for (ms since the epoch). */
  at: number;
}

/** Remembers a request for a link; only in server actions (they may set cookies). */
export async function rememberAsked(asked: Asked): Promise<void> {
  const value = Buffer.from(JSON.stringify({ e: asked.email, n: asked.next, t: asked.at }), "utf8").toString("base64url");
  (await cookies()).set(ASKED_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https://"),
    path: "/login",
    maxAge: env().LOGIN_TICKET_TTL_MINUTES * 60,
  });
}

/** What this browser last asked for, if anything (and only what still reads as it was written). */
export async function askedHere(): Promise<Asked | null> {
  const value = (await cookies()).get(ASKED_COOKIE)?.value;
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as { e?: unknown; n?: unknown; t?: unknown };
    const email = emailSchema.safeParse(parsed.e);
    const next = typeof parsed.n === "string" && actionPaths.check(parsed.n).ok ? parsed.n : null;
    if (!email.success || typeof parsed.t !== "number" || !Number.isFinite(parsed.t)) return null;
    return { email: email.data, next, at: parsed.t };
  } catch {
    return null;
  }
}

/** Seconds until this browser may ask for another link for `asked` (LOGIN_MIN_INTERVAL_SECONDS after it), by the runtime's clock. */
export function secondsUntilAskAgain(asked: Asked): number {
  const now = runtime().tickets.clock.now().getTime();
  return Math.max(0, Math.ceil((asked.at + env().LOGIN_MIN_INTERVAL_SECONDS * 1000 - now) / 1000));
}
