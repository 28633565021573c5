import { engineOf } from "@/lib/db/engine";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 when the database answers, 503 when it does not. */
export async function GET() {
  const engine = engineOf(env().DATABASE_URL);
  const headers = { "Cache-Control": "no-store" };
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: { engine, reachable: true } }, { headers });
  } catch {
    return Response.json({ status: "unavailable", database: { engine, reachable: false } }, { status: 503, headers });
  }
}
