"use server";

// The consent form, through the form-action door (lib/forms/form-action.ts):
// same origin and a signed-in person first. Its answer is a same-origin page
// (./continue) that goes on to the provider: a redirect chain from a form
// POST to the app's origin would be stopped by CSP form-action.
import { redirect } from "next/navigation";
import { z } from "zod";

import { formSubmit } from "@/lib/forms/form-action.server";
import { rememberConsent } from "@/lib/oidc/consents";
import { UID_PATTERN, pendingSignIn } from "@/lib/oidc/pending";
import { runtime } from "@/lib/runtime";

const consentSchema = z.object({ uid: z.string().regex(UID_PATTERN), decision: z.enum(["allow", "deny"]) });

export const consentAction = formSubmit({
  access: "user",
  schema: consentSchema,
  async run({ uid, decision }, { user }) {
    const pending = await pendingSignIn(runtime().db, uid);
    if (!pending) redirect(`/consent/${uid}`);
    if (decision === "allow") await rememberConsent(runtime().db, user.id, pending.clientId, pending.scopes);
    redirect(`/consent/${uid}/continue${decision === "deny" ? "?denied=1" : ""}`);
  },
});
