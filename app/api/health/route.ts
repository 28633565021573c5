import { checkHealth } from "@/lib/health";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 when the database answers, 503 when it does not; plus the mail queue (lib/health.ts). */
export async function GET() {
  const { db, engine } = runtime();
  const health = await checkHealth(db, engine);
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
