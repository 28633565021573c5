// Mailing-list subscription requests: what the `subrequest/<list>` action
// records for the signed-in person. One request per person and list.
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";

export interface SubscriptionRequestView {
  list: string;
  state: string;
  createdAt: Date;
}

/** The person's request to join `list`, or null when they have not asked. */
export function subscriptionOf(db: Pick<Db, "subscriptionRequest">, userId: string, list: string): Promise<SubscriptionRequestView | null> {
  return db.subscriptionRequest.findUnique({ where: { userId_list: { userId, list } }, select: { list: true, state: true, createdAt: true } });
}

/** Records the person's request to join `list`. Asking again changes nothing, and parallel asks leave one request. */
export async function requestSubscription(db: Pick<Db, "subscriptionRequest">, userId: string, list: string): Promise<SubscriptionRequestView> {
  const select = { list: true, state: true, createdAt: true } as const;
  try {
    return await db.subscriptionRequest.upsert({ where: { userId_list: { userId, list } }, create: { userId, list }, update: {}, select });
  } catch (error) {
    // Prisma's upsert reads, then inserts: of two parallel first asks, one loses the insert. Its request exists now.
    if (!isUniqueViolation(error)) throw error;
    return db.subscriptionRequest.findUniqueOrThrow({ where: { userId_list: { userId, list } }, select });
  }
}
