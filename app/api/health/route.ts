import { isAdmin } from "@/lib/admin/admin.server";
import { env } from "@/lib/env";
import { checkHealth, isMonitoring, publicHealth } from "@/lib/health";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness: 200 when the database answers, 503 when it does
 * not (lib/health.ts). The mail queue's figures go only to monitoring (the
 * HEALTH_TOKEN bearer) and to a signed-in administrator.
 */
export async function GET(request: Request) {
  const { db, engine } = runtime();
  const health = await checkHealth(db, engine);
  // The administrator check reads the database: only asked while it answers, so the check stays quick.
  const detailed = isMonitoring(request.headers.get("authorization"), env().HEALTH_TOKEN) || (health.status === "ok" && (await isAdmin()));
  return Response.json(detailed ? health : publicHealth(health), { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store", Vary: "Authorization, Cookie" } });
}
