import { apiTokenOwner } from "@/lib/account/api-tokens";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/request.server";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

const HEADERS = { "Cache-Control": "no-store" };

/**
 * Who a personal API token belongs to: `Authorization: Bearer tgp_…` →
 * `{ id, email, name }`. The smallest use of a token a script needs (and the
 * one that stamps its last use on the account page). 401 for a missing,
 * unknown or revoked token, or a disabled account — one answer for all.
 */
export async function GET(request: Request) {
  const header = request.headers.get("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const user = token ? await apiTokenOwner(runtime().db, token, clientIp(request.headers, env().TRUST_PROXY)) : null;
  if (!user) {
    return Response.json({ error: "A valid personal API token is required (Authorization: Bearer tgp_…)." }, { status: 401, headers: { ...HEADERS, "WWW-Authenticate": 'Bearer realm="ticketgate"' } });
  }
  return Response.json(user, { headers: HEADERS });
}
