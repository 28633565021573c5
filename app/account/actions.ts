"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { db } from "@/lib/server/db";
import { isSameOrigin, requestActor } from "@/lib/server/request";
import { closeSession, currentSessionHash, requireUser } from "@/lib/server/session";
import { tickets } from "@/lib/server/tickets";

async function guard() {
  if (!(await isSameOrigin())) throw new Error("cross-site request refused");
  return requireUser("account");
}

export async function signOutAction(): Promise<void> {
  if (!(await isSameOrigin())) throw new Error("cross-site request refused");
  await closeSession();
  redirect("/login");
}

/** Ends one of the person's other sessions (never someone else's: the row must be theirs). */
export async function revokeSessionAction(sessionId: string): Promise<void> {
  const user = await guard();
  await db().session.deleteMany({ where: { id: sessionId, userId: user.id } });
  revalidatePath("/account");
}

export async function revokeOtherSessionsAction(): Promise<void> {
  const user = await guard();
  const current = await currentSessionHash();
  await db().session.deleteMany({ where: { userId: user.id, ...(current ? { sessionToken: { not: current } } : {}) } });
  revalidatePath("/account");
}

/** "This wasn't me": cancels an open ticket issued for the person's address. */
export async function reportTicketAction(ticketId: string): Promise<void> {
  const user = await guard();
  const found = await tickets().get(ticketId);
  if (!found || found.ticket.email !== user.email) return;
  await tickets().revoke(ticketId, "reported by the account owner: this wasn't me", await requestActor());
  revalidatePath("/account");
}
