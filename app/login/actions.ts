"use server";

import { redirect } from "next/navigation";

import { waitText } from "@/lib/format";
import { signInWithPassword } from "@/lib/account/account.server";
import { requestLoginLink, signInWithCode } from "@/lib/sign-in/sign-in.server";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { passwordSignInSchema } from "@/lib/forms/account";
import { loginCodeSchema, loginRequestSchema, singleField } from "@/lib/forms/sign-in";

export type FormState = { status: "idle" } | { status: "error"; message: string; field?: string };

const CROSS_SITE: FormState = { status: "error", message: "This form can only be sent from this site. Reload the page and try again." };

export async function requestLinkAction(_prev: FormState, form: FormData): Promise<FormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const parsed = loginRequestSchema.safeParse({ email: singleField(form, "email"), next: singleField(form, "next") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: "error", message: issue?.message ?? "Enter one e-mail address", field: String(issue?.path[0] ?? "email") };
  }
  const outcome = await requestLoginLink(parsed.data.email, parsed.data.next ?? null, await requestActor());
  if (outcome.status === "rate-limited") {
    return { status: "error", message: `Too many requests for a link. Please wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
  }
  redirect("/login/check");
}

export async function verifyCodeAction(_prev: FormState, form: FormData): Promise<FormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const parsed = loginCodeSchema.safeParse({ code: singleField(form, "code") });
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Enter the 6-digit code from the mail", field: "code" };
  const outcome = await signInWithCode(parsed.data.code, await requestActor());
  switch (outcome.status) {
    case "signed-in":
      redirect(outcome.redirectTo);
    case "wrong":
      return { status: "error", field: "code", message: `That code is not right. ${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? "attempt" : "attempts"} left.` };
    case "exhausted":
      return { status: "error", message: "Too many wrong codes. Use the link in the mail, or ask for a new one." };
    case "no-request":
      return { status: "error", message: "This code has expired or was not asked for in this browser. Ask for a new link." };
    case "refused":
      return {
        status: "error",
        message:
          outcome.result.result === "expired"
            ? "This code has expired. Ask for a new link."
            : outcome.result.status === "superseded"
              ? "A newer link was sent. Use the code in the latest mail."
              : "This code can no longer be used. Ask for a new link.",
      };
  }
}

/**
 * Sign-in with address and password. One answer for an unknown address, no
 * password set and a wrong password; when the attempts run out, the message
 * says the mailed link still works (nobody can lock the owner out).
 */
export async function passwordSignInAction(_prev: FormState, form: FormData): Promise<FormState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const parsed = passwordSignInSchema.safeParse({ email: singleField(form, "email"), password: singleField(form, "password"), next: singleField(form, "next") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: "error", message: issue?.message ?? "Enter your e-mail address and password", field: String(issue?.path[0] ?? "email") };
  }
  const outcome = await signInWithPassword(parsed.data.email, parsed.data.password, parsed.data.next ?? null, await requestActor());
  switch (outcome.status) {
    case "signed-in":
      redirect(outcome.redirectTo);
    case "wrong":
      return { status: "error", message: "That address and password do not match an account with a password. Check them, or sign in with a mailed link." };
    case "throttled":
      return {
        status: "error",
        message: `Too many wrong passwords. Password sign-in is paused for ${waitText(outcome.retryAfterSeconds)}; a sign-in link sent by mail still works.`,
      };
  }
}
