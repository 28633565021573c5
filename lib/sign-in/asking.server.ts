import "server-only";

// The asking tab's side of number matching (decision 15): the number this
// browser shows for its newest request of a kind.
import { runtime } from "@/lib/runtime";
import type { TicketType } from "@/lib/tickets";

import { approvalNumber, latestRequest, relationTo } from "./binding";
import { browserSecret } from "./browser.server";
import { bindingDeps } from "./sign-in.server";

/** The number to type on another device for this browser's newest request of `kind`, or null when it asked for none. */
export async function numberForThisBrowser(kind: TicketType): Promise<string | null> {
  const request = await latestRequest(bindingDeps(), await browserSecret(), [kind]);
  return request ? approvalNumber(runtime().config.AUTH_SECRET, request) : null;
}

/** The number for one ticket, when this browser asked for it (null otherwise: another browser shows it). */
export async function numberForTicket(ticketId: string): Promise<string | null> {
  const { relation, binding } = await relationTo(bindingDeps(), ticketId, await browserSecret());
  return relation === "asker" && binding ? approvalNumber(runtime().config.AUTH_SECRET, binding) : null;
}
