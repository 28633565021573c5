"use server";

// The header's "Sign out": the session row and its cookie go, and the sign-in
// page says so.
import { redirect } from "next/navigation";
import { z } from "zod";

import { formSubmit } from "@/lib/forms/form-action.server";
import { closeSession } from "@/lib/sessions/session.server";

export const signOutAction = formSubmit({
  schema: z.object({}),
  async run() {
    await closeSession();
    redirect("/login?signed-out=1");
  },
});
