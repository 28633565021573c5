"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { createApiToken, revokeApiToken } from "@/lib/account/api-tokens";
import { deleteEmailChangeTokens } from "@/lib/account/email-change";
import { isOwnTicket } from "@/lib/account/history";
import { setPassword } from "@/lib/account/passwords";
import { waitText } from "@/lib/format";
import { accountDeps, requestEmailChangeFor } from "@/lib/account/account.server";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { closeSession, currentSessionHash, requireUser } from "@/lib/sessions/session.server";
import { addressSchema, apiTokenNameSchema } from "@/lib/forms/account";
import { singleField } from "@/lib/forms/sign-in";
import { runtime } from "@/lib/runtime";

/** The signed-in person, for a same-origin request; null (and nothing done) otherwise. */
async function guard() {
  if (!(await isSameOrigin())) return null;
  return requireUser("account");
}

/** Row ids as this app makes them (cuid, UUID); anything else a client sends is ignored, not passed to the database. */
function isId(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

export async function signOutAction(): Promise<void> {
  if (!(await isSameOrigin())) return;
  await closeSession();
  redirect("/login");
}

/** Ends one of the person's other sessions (never someone else's: the row must be theirs). */
export async function revokeSessionAction(sessionId: string): Promise<void> {
  const user = await guard();
  if (!user || !isId(sessionId)) return;
  await runtime().db.session.deleteMany({ where: { id: sessionId, userId: user.id } });
  revalidatePath("/account");
}

export async function revokeOtherSessionsAction(): Promise<void> {
  const user = await guard();
  if (!user) return;
  const current = await currentSessionHash();
  await runtime().db.session.deleteMany({ where: { userId: user.id, ...(current ? { sessionToken: { not: current } } : {}) } });
  revalidatePath("/account");
}

/** "This wasn't me": cancels an open ticket issued for the person's address. */
export async function reportTicketAction(ticketId: string): Promise<void> {
  const user = await guard();
  if (!user || !isId(ticketId)) return;
  const found = await runtime().tickets.get(ticketId);
  // The person's own tickets only: their address, and not issued to another account that once had it.
  if (!found || !isOwnTicket(found.ticket, user)) return;
  // For an e-mail change, "this wasn't me" means the whole change: both of its tickets go.
  if (found.ticket.type === "email_change_old" || found.ticket.type === "email_change_new") {
    if (found.ticket.userId === user.id) await deleteEmailChangeTokens(accountDeps(), user.id, "reported by the account owner: this wasn't me", await requestActor());
  } else {
    await runtime().tickets.revoke(ticketId, "reported by the account owner: this wasn't me", await requestActor());
  }
  revalidatePath("/account");
}

export type AccountFormState = { status: "idle" } | { status: "error"; message: string; field?: string } | { status: "ok"; message: string; token?: string };

const CROSS_SITE: AccountFormState = { status: "error", message: "This form can only be sent from this site. Reload the page and try again." };

/** Sets a first password, or changes it (with the current one). Other sessions are signed out. */
export async function setPasswordAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const user = await requireUser("account");
  const input = { current: singleField(form, "current") ?? undefined, password: singleField(form, "password") ?? undefined, confirm: singleField(form, "confirm") ?? undefined };
  const outcome = await setPassword(accountDeps(), user.id, input, await currentSessionHash(), await requestActor());
  revalidatePath("/account");
  switch (outcome.status) {
    case "saved":
      return { status: "ok", message: outcome.how === "set" ? "Your password is set. You can sign in with it or with a mailed link." : "Your password was changed. Every other session was signed out." };
    case "invalid":
      return { status: "error", message: outcome.message, field: outcome.field };
    case "wrong-current":
      return { status: "error", field: "current", message: "Your current password is not right. Forgotten it? Use the reset link on the sign-in page." };
    case "throttled":
      return { status: "error", field: "current", message: `Too many wrong passwords. Try again in ${waitText(outcome.retryAfterSeconds)}.` };
  }
}

/** IssueEmailChangeToken: mails the new address (confirm) and this one (cancel). */
export async function requestEmailChangeAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const user = await requireUser("account");
  const parsed = addressSchema.safeParse({ email: singleField(form, "email") });
  if (!parsed.success) return { status: "error", field: "email", message: parsed.error.issues[0]?.message ?? "Enter one e-mail address" };
  const outcome = await requestEmailChangeFor(user.id, parsed.data.email, await requestActor());
  revalidatePath("/account");
  switch (outcome.status) {
    case "sent":
      return { status: "ok", message: "Check the new address's mail and press the link there; the change happens only then. We also told your current address." };
    case "same":
      return { status: "error", field: "email", message: "That is already your address." };
    case "undo-pending":
      return {
        status: "error",
        message: `Your address was changed recently, and the previous address can still undo that change${outcome.until ? ` until ${outcome.until.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}. You can change it again after that.`,
      };
    case "too-soon":
      return { status: "error", message: `You asked moments ago. Wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
  }
}

/** DeleteEmailChangeTokens: withdraws the pending change. */
export async function withdrawEmailChangeAction(): Promise<void> {
  const user = await guard();
  if (!user) return;
  await deleteEmailChangeTokens(accountDeps(), user.id, "withdrawn by the account owner", await requestActor());
  revalidatePath("/account");
}

/** A personal API token: shown once in the answer, kept only as SHA-256. */
export async function createApiTokenAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const user = await requireUser("account");
  const parsed = apiTokenNameSchema.safeParse({ name: singleField(form, "name") });
  if (!parsed.success) return { status: "error", field: "name", message: parsed.error.issues[0]?.message ?? "Give the token a name" };
  const outcome = await createApiToken(runtime().db, user.id, parsed.data.name);
  revalidatePath("/account");
  if (outcome.status === "too-many") return { status: "error", message: "You have as many tokens as allowed. Revoke one you no longer use first." };
  return { status: "ok", message: "Copy the token now: it is shown only this once.", token: outcome.token };
}

export async function revokeApiTokenAction(tokenId: string): Promise<void> {
  const user = await guard();
  if (!user || !isId(tokenId)) return;
  await revokeApiToken(runtime().db, user.id, tokenId);
  revalidatePath("/account");
}
