"use server";

// The account page's forms, each through the form-action door
// (lib/forms/form-action.ts): same origin and a signed-in person first; a
// signed-out one is sent to sign in and back here.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";

import { accountDeps, requestEmailChangeFor } from "@/lib/account/account.server";
import { createApiToken, revokeApiToken } from "@/lib/account/api-tokens";
import { deleteEmailChangeTokens } from "@/lib/account/email-change";
import { isOwnTicket } from "@/lib/account/history";
import { setPassword } from "@/lib/account/passwords";
import { formatWhen, waitText } from "@/lib/format";
import { addressSchema, apiTokenNameSchema } from "@/lib/forms/account";
import { type Refusal, refusalMessage } from "@/lib/forms/form-action";
import { formAction, formSubmit, signInAgain } from "@/lib/forms/form-action.server";
import { revokeConsent } from "@/lib/oidc/consents";
import { runtime } from "@/lib/runtime";
import type { AccountConfirmation } from "@/lib/account/confirmations";
import { currentSessionHash } from "@/lib/sessions/session.server";
import { invalidateUserSession, invalidateUserSessionsExcept } from "@/lib/sessions/sessions";

export type AccountFormState = { status: "idle" } | { status: "error"; message: string; field?: string } | { status: "ok"; message: string; token?: string };

/** Row ids as this app makes them (cuid, UUID); anything else a client sends is refused, not passed to the database. */
const rowId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const nothing = z.object({});

function refused(refusal: Refusal): AccountFormState {
  if (refusal.kind === "anonymous") signInAgain("account");
  return { status: "error", ...refusalMessage(refusal) };
}

function done<T>(state: T): T {
  revalidatePath("/account");
  return state;
}

/** Back to the account page, which says what was done (ACCOUNT_CONFIRMATIONS, announced to screen readers). */
function confirmed(what: AccountConfirmation): never {
  revalidatePath("/account");
  redirect(`/account?done=${what}`);
}

/** Withdraws the person's consent to an app and ends what they gave it (grants, tokens). */
export const revokeAppAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: rowId,
  async run({ id }, { user }) {
    await revokeConsent(runtime().db, user.id, id);
    confirmed("app-revoked");
  },
});

/** Ends one of the person's other sessions (never someone else's: the row must be theirs). */
export const revokeSessionAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: rowId,
  async run({ id }, { user }) {
    await invalidateUserSession(runtime().db, user.id, id);
    confirmed("session-ended");
  },
});

export const revokeOtherSessionsAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: nothing,
  async run(_input, { user }) {
    await invalidateUserSessionsExcept(runtime().db, user.id, await currentSessionHash());
    confirmed("others-ended");
  },
});

/** "This wasn't me": cancels an open ticket issued for the person's address. */
export const reportTicketAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: rowId,
  async run({ id }, { user, actor }) {
    const found = await runtime().tickets.get(id);
    // The person's own tickets only: their address, and not issued to another account that once had it.
    if (!found || !isOwnTicket(found.ticket, user)) return;
    const reason = "reported by the account owner: this wasn't me";
    // For an e-mail change, "this wasn't me" means the whole change: both of its tickets go.
    if (found.ticket.type === "email_change_old" || found.ticket.type === "email_change_new") {
      if (found.ticket.userId === user.id) await deleteEmailChangeTokens(accountDeps(), user.id, reason, actor);
    } else {
      await runtime().tickets.revoke(id, reason, actor);
    }
    confirmed("link-cancelled");
  },
});

/** Sets a first password, or changes it (with the current one). Other sessions are signed out. */
export const setPasswordAction = formAction({
  access: "user",
  // The flow's own schema checks the fields and says which one is wrong.
  schema: z.object({ current: z.string().nullish(), password: z.string().nullish(), confirm: z.string().nullish() }),
  refused,
  async run(input, { user, actor }): Promise<AccountFormState> {
    const fields = { current: input.current ?? undefined, password: input.password ?? undefined, confirm: input.confirm ?? undefined };
    const outcome = await setPassword(accountDeps(), user.id, fields, await currentSessionHash(), actor);
    switch (outcome.status) {
      case "saved":
        return done({ status: "ok", message: outcome.how === "set" ? "Your password is set. You can sign in with it or with a mailed link." : "Your password was changed. Every other session was signed out." });
      case "invalid":
        return done({ status: "error", message: outcome.message, field: outcome.field });
      case "wrong-current":
        return done({ status: "error", field: "current", message: "Your current password is not right. Forgotten it? Use the reset link on the sign-in page." });
      case "throttled":
        return done({ status: "error", field: "current", message: `Too many wrong passwords. Try again in ${waitText(outcome.retryAfterSeconds)}.` });
    }
  },
});

/** IssueEmailChangeToken: mails the new address (confirm) and this one (cancel). */
export const requestEmailChangeAction = formAction({
  access: "user",
  schema: addressSchema,
  refused,
  async run({ email }, { user, actor }): Promise<AccountFormState> {
    const outcome = await requestEmailChangeFor(user.id, email, actor);
    switch (outcome.status) {
      case "sent":
        return done({ status: "ok", message: "Check the new address's mail and press the link there; the change happens only then. We also told your current address." });
      case "same":
        return done({ status: "error", field: "email", message: "That is already your address." });
      case "undo-pending":
        return done({
          status: "error",
          message: `Your address was changed recently, and the previous address can still undo that change${outcome.until ? ` until ${formatWhen(outcome.until)}` : ""}. You can change it again after that.`,
        });
      case "too-soon":
        return done({ status: "error", message: `You asked moments ago. Wait ${waitText(outcome.retryAfterSeconds)} and try again.` });
    }
  },
});

/** DeleteEmailChangeTokens: withdraws the pending change. */
export const withdrawEmailChangeAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: nothing,
  async run(_input, { user, actor }) {
    await deleteEmailChangeTokens(accountDeps(), user.id, "withdrawn by the account owner", actor);
    confirmed("change-withdrawn");
  },
});

/** A personal API token: shown once in the answer, kept only as SHA-256. */
export const createApiTokenAction = formAction({
  access: "user",
  schema: apiTokenNameSchema,
  refused,
  async run({ name }, { user }): Promise<AccountFormState> {
    const outcome = await createApiToken(runtime().db, user.id, name);
    if (outcome.status === "too-many") return done({ status: "error", message: "You have as many tokens as allowed. Revoke one you no longer use first." });
    return done({ status: "ok", message: "Copy the token now: it is shown only this once.", token: outcome.token });
  },
});

export const revokeApiTokenAction = formSubmit({
  access: "user",
  returnTo: "account",
  schema: rowId,
  async run({ id }, { user }) {
    await revokeApiToken(runtime().db, user.id, id);
    confirmed("token-revoked");
  },
});
