"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { type LoginRequestInput, loginRequestSchema } from "@/lib/forms/sign-in";

import { type FormState, requestLinkAction } from "./actions";
import { describedBy, FieldError } from "@/app/_components/form-parts";

export function LoginForm({ next }: { next: string | null }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(requestLinkAction, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<LoginRequestInput>({ resolver: zodResolver(loginRequestSchema), defaultValues: { email: "", next: next ?? undefined } });

  // With JavaScript the same schema checks the field first; without it the form posts as is.
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  const error = errors.email?.message ?? (state.status === "error" ? state.message : null);

  return (
    <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      {/* The value is in the HTML too: without JavaScript, register() never fills it in. */}
      {next ? <input type="hidden" defaultValue={next} {...register("next")} /> : null}
      <label htmlFor="email">E-mail address</label>
      <input
        id="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        autoFocus
        required
        {...describedBy("email-error", error)}
        {...register("email")}
      />
      <FieldError id="email-error" error={error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Sending…" : "Mail me a sign-in link"}
      </button>
    </form>
  );
}
