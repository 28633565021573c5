"use server";

import { waitText } from "@/lib/format";
import { requestPasswordResetMail } from "@/lib/account/account.server";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { addressSchema } from "@/lib/forms/account";
import { singleField } from "@/lib/forms/sign-in";

import type { AddressFormState } from "./address-form";

/** The same answer, status and timing (lib/account/account.server.ts) whether or not the address has an account. */
export async function requestResetAction(_prev: AddressFormState, form: FormData): Promise<AddressFormState> {
  if (!(await isSameOrigin())) return { status: "error", message: "This form can only be sent from this site. Reload the page and try again." };
  const parsed = addressSchema.safeParse({ email: singleField(form, "email") });
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Enter one e-mail address" };
  const outcome = await requestPasswordResetMail(parsed.data.email, await requestActor());
  if (outcome.status === "too-soon") return { status: "error", message: `A reset link for this address was asked for moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
  return { status: "sent", message: "If that address has an account, a link to choose a new password is on its way. Check your mail." };
}
