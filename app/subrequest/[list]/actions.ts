"use server";

import { revalidatePath } from "next/cache";

import { actions } from "@/lib/actions";
import { db } from "@/lib/server/db";
import { isSameOrigin } from "@/lib/server/request";
import { requireUser } from "@/lib/server/session";

/** Records the signed-in person's request to join `list` (once; asking again changes nothing). */
export async function requestSubscriptionAction(list: string): Promise<void> {
  if (!(await isSameOrigin())) throw new Error("cross-site request refused");
  const action = `subrequest/${list}`;
  if (!actions.check(action).ok) throw new Error("unknown list");
  const user = await requireUser(action);
  await db().subscriptionRequest.upsert({ where: { userId_list: { userId: user.id, list } }, create: { userId: user.id, list }, update: {} });
  revalidatePath(`/${action}`);
}
