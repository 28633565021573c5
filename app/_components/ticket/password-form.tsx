"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type SetPasswordInput, setPasswordSchema } from "@/lib/forms/account";

import { type TicketActionState, confirmSignupAction, resetPasswordAction } from "./actions";
import { ProblemPanel } from "./problem-panel";
import { Address } from "@/app/_components/address";
import { describedBy, FieldError, FormNotice } from "@/app/_components/form-parts";

const TEXT = {
  reset: { title: "Choose a new password", lead: "For", button: "Set the new password", pending: "Saving…", note: "Saving signs you out everywhere else and cancels other reset links." },
  signup: { title: "Create your account", lead: "For", button: "Create my account", pending: "Creating…", note: "The account exists once you press the button. You can also sign in with a mailed link at any time." },
} as const;

/**
 * The form a password reset or new-account ticket opens, in the browser that asked (so `address` is in full).
 * Nothing is spent until it is sent and valid.
 */
export function PasswordForm({ ticket, address, kind }: { ticket?: string; address: string; kind: "reset" | "signup" }) {
  const action = kind === "reset" ? resetPasswordAction : confirmSignupAction;
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(action, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SetPasswordInput>({ resolver: zodResolver(setPasswordSchema), defaultValues: { password: "", confirm: "" } });
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };

  if (state.status === "problem") return <ProblemPanel problem={state.problem} ticket={ticket ?? ""} />;
  const text = TEXT[kind];
  const serverError = state.status === "invalid" ? state : null;
  const passwordError = errors.password?.message ?? (serverError?.field === "password" ? serverError.message : null);
  const confirmError = errors.confirm?.message ?? (serverError?.field === "confirm" ? serverError.message : null);
  return (
    <div className="card">
      <h1>{text.title}</h1>
      <p className="lead">
        {text.lead}{" "}
        <strong>
          <Address email={address} />
        </strong>
        . At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one.
      </p>
      <FormNotice message={state.status === "message" ? state.message : null} />
      <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
        {ticket ? <input type="hidden" name="ticket" value={ticket} /> : null}
        <label htmlFor="password">New password</label>
        <input id="password" type="password" autoComplete="new-password" autoFocus required minLength={PASSWORD_MIN_LENGTH} maxLength={PASSWORD_MAX_LENGTH} {...describedBy("password-error", passwordError)} {...register("password")} />
        <FieldError id="password-error" error={passwordError} />
        <label htmlFor="confirm">New password, again</label>
        <input id="confirm" type="password" autoComplete="new-password" required maxLength={PASSWORD_MAX_LENGTH} {...describedBy("confirm-error", confirmError)} {...register("confirm")} />
        <FieldError id="confirm-error" error={confirmError} />
        <button type="submit" className="button" disabled={pending}>
          {pending ? text.pending : text.button}
        </button>
      </form>
      <p className="muted small">{text.note}</p>
    </div>
  );
}
