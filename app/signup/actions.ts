"use server";

import type { AddressFormState } from "@/app/_components/address-form";
import { requestSignupMail } from "@/lib/account/account.server";
import { waitText } from "@/lib/format";
import { addressSchema } from "@/lib/forms/account";
import { refusalMessage } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";

/** The same answer for a new address and one that has an account (which is mailed a notice instead). */
export const requestSignupAction = formAction({
  schema: addressSchema,
  refused: (refusal): AddressFormState => ({ status: "error", message: refusalMessage(refusal).message }),
  async run({ email }, { actor }): Promise<AddressFormState> {
    const outcome = await requestSignupMail(email, actor);
    switch (outcome.status) {
      case "closed":
        return { status: "error", message: "New accounts are not being created here at the moment." };
      case "too-soon":
        return { status: "error", message: `A mail for this address was sent moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
      case "sent":
        return { status: "sent", message: "Check your mail. For an address that is new here, the mail has a link to confirm it and choose your password; the account exists once you confirm.", number: outcome.number };
    }
  },
});
