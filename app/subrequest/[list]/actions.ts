"use server";

import { revalidatePath } from "next/cache";

import { actionPaths } from "@/lib/action-paths";
import { isSameOrigin } from "@/lib/http/request.server";
import { requireUser } from "@/lib/sessions/session.server";
import { runtime } from "@/lib/runtime";

/**
 * Records the signed-in person's request to join `list` (once; asking again
 * changes nothing). A cross-site request or a list name that is no action
 * does nothing (bad input is not a server error).
 */
export async function requestSubscriptionAction(list: string): Promise<void> {
  if (!(await isSameOrigin())) return;
  const action = `subrequest/${list}`;
  if (typeof list !== "string" || !actionPaths.check(action).ok) return;
  const user = await requireUser(action);
  await runtime().db.subscriptionRequest.upsert({ where: { userId_list: { userId: user.id, list } }, create: { userId: user.id, list }, update: {} });
  revalidatePath(`/${action}`);
}
