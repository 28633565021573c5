"use server";

import { revalidatePath } from "next/cache";

import { actions } from "@/lib/actions";
import { db } from "@/lib/server/db";
import { isSameOrigin } from "@/lib/server/request";
import { requireUser } from "@/lib/server/session";

/**
 * Records the signed-in person's request to join `list` (once; asking again
 * changes nothing). A cross-site request or a list name that is no action
 * does nothing (bad input is not a server error).
 */
export async function requestSubscriptionAction(list: string): Promise<void> {
  if (!(await isSameOrigin())) return;
  const action = `subrequest/${list}`;
  if (typeof list !== "string" || !actions.check(action).ok) return;
  const user = await requireUser(action);
  await db().subscriptionRequest.upsert({ where: { userId_list: { userId: user.id, list } }, create: { userId: user.id, list }, update: {} });
  revalidatePath(`/${action}`);
}
