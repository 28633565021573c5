import "server-only";

// The form-action door (form-action.ts) on Next.js: the request's headers,
// the session, the administrator role and the guessing limit. Every server
// action of the app is built with formAction or formSubmit.
import { redirect } from "next/navigation";
import type { z } from "zod";

import { checkAdmin } from "@/lib/admin/access";
import { env } from "@/lib/env";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { runtime } from "@/lib/runtime";
import { auth } from "@/lib/sessions/auth.server";
import { guessingAllowed } from "@/lib/sign-in/guessing.server";

import { type Access, type FormSpec, type Refusal, type RequestInfo, type SignedIn, runFormAction } from "./form-action";

async function sessionUser(): Promise<SignedIn | null> {
  const user = (await auth())?.user;
  return user?.id ? { id: user.id, email: user.email ?? "" } : null;
}

/** The request as the form-action door asks about it. */
export const nextRequest: RequestInfo = {
  sameOrigin: isSameOrigin,
  actor: requestActor,
  user: sessionUser,
  admin: async () => checkAdmin(runtime().db, env().ADMIN_EMAILS, await sessionUser()),
  guessing: guessingAllowed,
};

/** A form whose answer the page shows (useActionState): `(previous state, form) → state`. */
export function formAction<Schema extends z.ZodType, State, A extends Access = "anyone">(spec: FormSpec<Schema, State, A>): (previous: State, form: FormData) => Promise<State> {
  return async (_previous, form) => runFormAction(spec, nextRequest, form);
}

/**
 * A button with no answer of its own (the page re-renders or redirects).
 * A refused one changes nothing and shows nothing, except that a signed-out
 * person is sent to sign in, coming back to `returnTo`.
 */
export function formSubmit<Schema extends z.ZodType, A extends Access = "anyone">(spec: Omit<FormSpec<Schema, void, A>, "refused"> & { returnTo?: string }): (form: FormData) => Promise<void> {
  const refused = (refusal: Refusal) => {
    if (refusal.kind === "anonymous" && spec.returnTo !== undefined) signInAgain(spec.returnTo);
  };
  return async (form) => runFormAction({ ...spec, refused }, nextRequest, form);
}

/** Sends a signed-out person to sign in, then back to `returnTo` (an action path such as "account"). */
export function signInAgain(returnTo: string): never {
  redirect(`/login?next=${encodeURIComponent(returnTo)}`);
}
