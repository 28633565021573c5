"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { type LoginCodeInput, loginCodeSchema } from "@/lib/forms/sign-in";

import { type FormState, verifyCodeAction } from "../actions";
import { describedBy, FieldError } from "@/app/_components/form-parts";

export function CodeForm() {
  const [state, formAction, pending] = useActionState<FormState, FormData>(verifyCodeAction, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<LoginCodeInput>({ resolver: zodResolver(loginCodeSchema), defaultValues: { code: "" } });
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  const error = errors.code?.message ?? (state.status === "error" ? state.message : null);

  return (
    <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      <label htmlFor="code">Code from the mail</label>
      <input
        id="code"
        className="code-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        placeholder="123-456"
        maxLength={9}
        required
        {...describedBy("code-error", error)}
        {...register("code")}
      />
      <FieldError id="code-error" error={error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Checking…" : "Sign in with the code"}
      </button>
    </form>
  );
}
