"use server";

// The asking browser goes on with a request that another device approved
// with its number (decision 15): a sign-in link signs in here at once; any
// other kind opens its form on /continue.
import { redirect } from "next/navigation";
import { z } from "zod";

import { refusalMessage } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";
import { approvedTicketOfThisBrowser } from "@/lib/sign-in/elsewhere.server";
import { signInWithTicket } from "@/lib/sign-in/sign-in.server";

export type ContinueState = { status: "idle" } | { status: "waiting"; message: string };

export const continueAction = formAction({
  schema: z.object({}),
  refused: (refusal): ContinueState => ({ status: "waiting", message: refusalMessage(refusal).message }),
  async run(_input, { actor }): Promise<ContinueState> {
    const ticket = await approvedTicketOfThisBrowser();
    if (!ticket) return { status: "waiting", message: "Not approved yet. Open the link on your other device and type the number shown here." };
    if (ticket.type !== "login") redirect("/continue");
    const outcome = await signInWithTicket({ id: ticket.id }, actor);
    if (outcome.status === "signed-in") redirect(outcome.redirectTo);
    return { status: "waiting", message: "This link can no longer be used. Ask for a new one." };
  },
});
