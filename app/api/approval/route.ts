import { runtime } from "@/lib/runtime";
import { latestRequest, requestState } from "@/lib/sign-in/binding";
import { browserSecret } from "@/lib/sign-in/browser.server";
import { TICKET_TYPES, type TicketType } from "@/lib/tickets";

export const dynamic = "force-dynamic";

/**
 * Where this browser's newest request of a kind stands — waiting, approved
 * from another device, done — for the asking tab, which polls it while it
 * shows its number (app/_components/approval-panel.tsx). Reads only.
 */
export async function GET(request: Request) {
  const kind = new URL(request.url).searchParams.get("kind");
  if (!kind || !(TICKET_TYPES as readonly string[]).includes(kind)) return Response.json({ error: "unknown kind" }, { status: 400, headers: { "Cache-Control": "no-store" } });
  const { db, tickets, config } = runtime();
  const deps = { db, tickets, config };
  const state = await requestState(deps, await latestRequest(deps, await browserSecret(), [kind as TicketType]));
  return Response.json({ state }, { headers: { "Cache-Control": "no-store" } });
}
