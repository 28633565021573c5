import "server-only";

import { env } from "@/lib/env";
import { requestActor } from "@/lib/http/request.server";

/** The machine itself: the dev server listens on every interface, and the outbox holds live tickets. */
export function isLoopback(ip: string | null | undefined): boolean {
  return ip === "127.0.0.1" || ip === "::1" || (ip?.startsWith("127.") ?? false);
}

/** Whether the outbox page and its actions exist for this request: development, no SMTP_URL, this machine. */
export async function outboxAvailable(): Promise<boolean> {
  const config = env();
  return !config.SMTP_URL && config.NODE_ENV !== "production" && isLoopback((await requestActor()).ip);
}
