"use server";

import { redirect } from "next/navigation";

import { signInWithPassword } from "@/lib/account/account.server";
import { plural, waitText } from "@/lib/format";
import { refusalMessage } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";
import { passwordSignInSchema } from "@/lib/forms/account";
import { loginCodeSchema, loginRequestSchema } from "@/lib/forms/sign-in";
import { env } from "@/lib/env";
import { runtime } from "@/lib/runtime";
import { rememberAsked } from "@/lib/sign-in/asked.server";
import { requestLoginLink, signInWithCode } from "@/lib/sign-in/sign-in.server";
import { codeRefusal } from "@/lib/tickets/outcomes";

export type FormState = { status: "idle" } | { status: "error"; message: string; field?: string };

const refused = (refusal: Parameters<typeof refusalMessage>[0]): FormState => ({ status: "error", ...refusalMessage(refusal) });

export const requestLinkAction = formAction({
  schema: loginRequestSchema,
  refused,
  async run({ email, next }, { actor }): Promise<FormState> {
    const outcome = await requestLoginLink(email, next ?? null, actor);
    if (outcome.status === "rate-limited") {
      // Asking again within the minute is not "too many": the link is on its way, and the wait is short.
      const soon = outcome.retryAfterSeconds <= env().LOGIN_MIN_INTERVAL_SECONDS;
      return {
        status: "error",
        message: soon
          ? `A link was sent a moment ago. You can ask for another in ${waitText(outcome.retryAfterSeconds)}.`
          : `Too many links were asked for. Please wait ${waitText(outcome.retryAfterSeconds)} and try again.`,
      };
    }
    await rememberAsked({ email, next: next ?? null, at: runtime().tickets.clock.now().getTime() });
    redirect("/login/check");
  },
});

export const verifyCodeAction = formAction({
  schema: loginCodeSchema,
  refused,
  async run({ code }, { actor }): Promise<FormState> {
    const outcome = await signInWithCode(code, actor);
    switch (outcome.status) {
      case "signed-in":
        redirect(outcome.redirectTo);
      case "wrong":
        return { status: "error", field: "code", message: `That code is not right. ${plural(outcome.attemptsLeft, "attempt")} left.` };
      case "exhausted":
        return { status: "error", message: "Too many wrong codes. Use the link in the mail, or ask for a new one." };
      case "no-request":
        return { status: "error", message: "This code has expired or was not asked for in this browser. Ask for a new link." };
      case "refused":
        return { status: "error", message: codeRefusal(outcome.result) };
    }
  },
});

/**
 * Sign-in with address and password. One answer for an unknown address, no
 * password set and a wrong password; when the attempts run out, the message
 * says the mailed link still works (nobody can lock the owner out).
 */
export const passwordSignInAction = formAction({
  schema: passwordSignInSchema,
  refused,
  async run({ email, password, next }, { actor }): Promise<FormState> {
    const outcome = await signInWithPassword(email, password, next ?? null, actor);
    switch (outcome.status) {
      case "signed-in":
        redirect(outcome.redirectTo);
      case "wrong":
        return { status: "error", message: "That address and password do not match an account with a password. Check them, or sign in with a mailed link." };
      case "throttled":
        return { status: "error", message: `Too many wrong passwords. Password sign-in is paused for ${waitText(outcome.retryAfterSeconds)}; a sign-in link sent by mail still works.` };
    }
  },
});
