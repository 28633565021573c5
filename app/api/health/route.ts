import { engineOf } from "@/lib/db/engine";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 when the database answers, 503 when it does not; plus the mail queue (lib/health.ts). */
export async function GET() {
  const health = await checkHealth(runtime().db, engineOf(env().DATABASE_URL));
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
