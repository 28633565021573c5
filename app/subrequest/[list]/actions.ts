"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { actionPaths } from "@/lib/action-paths";
import { formSubmit } from "@/lib/forms/form-action.server";
import { runtime } from "@/lib/runtime";
import { requestSubscription } from "@/lib/subscriptions";

/**
 * Records the signed-in person's request to join a list (once; asking again
 * changes nothing). A list name that is no action path does nothing (bad
 * input is not a server error); a signed-out person is sent to sign in.
 */
export const requestSubscriptionAction = formSubmit({
  access: "user",
  schema: z.object({ list: z.string().refine((list) => actionPaths.check(`subrequest/${list}`).ok) }),
  async run({ list }, { user }) {
    await requestSubscription(runtime().db, user.id, list);
    revalidatePath(`/subrequest/${list}`);
  },
});
