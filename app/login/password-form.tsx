"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { PASSWORD_MAX_LENGTH, type PasswordSignInInput, passwordSignInSchema } from "@/lib/forms/account";

import { type FormState, passwordSignInAction } from "./actions";
import { FieldError } from "@/app/_components/form-parts";

/** The alternative to the mailed link, for people who set a password. */
export function PasswordSignInForm({ next }: { next: string | null }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(passwordSignInAction, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<PasswordSignInInput>({ resolver: zodResolver(passwordSignInSchema), defaultValues: { email: "", password: "", next: next ?? undefined } });
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  const error = errors.email?.message ?? errors.password?.message ?? (state.status === "error" ? state.message : null);

  return (
    <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      {next ? <input type="hidden" defaultValue={next} {...register("next")} /> : null}
      <label htmlFor="pw-email">Account e-mail</label>
      <input id="pw-email" type="email" autoComplete="username" inputMode="email" required {...register("email")} />
      <label htmlFor="pw-password">Password</label>
      <input id="pw-password" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX_LENGTH} {...register("password")} />
      <FieldError id="password-signin-error" error={error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Signing in…" : "Sign in with password"}
      </button>
      <p className="muted small">
        <Link href="/reset">Forgotten your password?</Link> · <Link href="/signup">Create an account with a password</Link>
      </p>
    </form>
  );
}
