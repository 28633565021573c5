"use server";

import { requestPasswordResetMail } from "@/lib/account/account.server";
import { waitText } from "@/lib/format";
import { addressSchema } from "@/lib/forms/account";
import { refusalMessage } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";

import type { AddressFormState } from "@/app/_components/address-form";

/** The same answer, status and timing (lib/account/account.server.ts) whether or not the address has an account. */
export const requestResetAction = formAction({
  schema: addressSchema,
  refused: (refusal): AddressFormState => ({ status: "error", message: refusalMessage(refusal).message }),
  async run({ email }, { actor }): Promise<AddressFormState> {
    const outcome = await requestPasswordResetMail(email, actor);
    if (outcome.status === "too-soon") return { status: "error", message: `A reset link for this address was asked for moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
    return { status: "sent", message: "If that address has an account, a link to choose a new password is on its way. Check your mail.", number: outcome.number };
  },
});
