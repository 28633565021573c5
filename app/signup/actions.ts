"use server";

import type { AddressFormState } from "@/app/reset/address-form";
import { waitText } from "@/lib/format";
import { requestSignupMail } from "@/lib/account/account.server";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { addressSchema } from "@/lib/forms/account";
import { singleField } from "@/lib/forms/sign-in";

/** The same answer for a new address and one that has an account (which is mailed a notice instead). */
export async function requestSignupAction(_prev: AddressFormState, form: FormData): Promise<AddressFormState> {
  if (!(await isSameOrigin())) return { status: "error", message: "This form can only be sent from this site. Reload the page and try again." };
  const parsed = addressSchema.safeParse({ email: singleField(form, "email") });
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Enter one e-mail address" };
  const outcome = await requestSignupMail(parsed.data.email, await requestActor());
  switch (outcome.status) {
    case "closed":
      return { status: "error", message: "New accounts are not being created here at the moment." };
    case "too-soon":
      return { status: "error", message: `A mail for this address was sent moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
    case "sent":
      return { status: "sent", message: "Check your mail. For an address that is new here, the mail has a link to confirm it and choose your password; the account exists once you confirm." };
  }
}
