"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { type BaseSyntheticEvent, type MouseEvent, startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";

import { PASSWORD_MAX_LENGTH } from "@/lib/forms/account";
import { type SignInFields, signInFieldsSchema } from "@/lib/forms/sign-in";

import { type FormState, passwordSignInAction, requestLinkAction } from "./actions";
import { type SignInMode, signInHref } from "./sign-in-href";
import { describedBy, FieldError } from "@/app/_components/form-parts";

const IDLE: FormState = { status: "idle" };

/**
 * One e-mail field, and one primary button: "E-mail me a sign-in link".
 * "Use a password instead" adds only the password field under the same
 * address. Without JavaScript the switch is a link to the same page in
 * password mode (`?with=password`) and each mode is a plain form with one
 * submit button, so Enter always does what the button says.
 */
export function LoginForm({ next, initialMode }: { next: string | null; initialMode: SignInMode }) {
  const [mode, setMode] = useState<SignInMode>(initialMode);
  const [linkState, requestLink, sending] = useActionState<FormState, FormData>(requestLinkAction, IDLE);
  const [passwordState, signIn, signingIn] = useActionState<FormState, FormData>(passwordSignInAction, IDLE);
  const {
    register,
    handleSubmit,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<SignInFields>({ resolver: zodResolver(signInFieldsSchema), defaultValues: { email: "", password: "", next: next ?? undefined } });
  const withPassword = mode === "password";
  const action = withPassword ? signIn : requestLink;
  const state = withPassword ? passwordState : linkState;
  const pending = withPassword ? signingIn : sending;

  // Switching with JavaScript keeps the address typed and moves on to the password.
  const passwordField = useRef<HTMLInputElement | null>(null);
  const switched = useRef(false);
  useEffect(() => {
    if (switched.current && mode === "password") passwordField.current?.focus();
  }, [mode]);
  const switchTo = (to: SignInMode) => (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    switched.current = true;
    clearErrors();
    setMode(to);
    window.history.replaceState(null, "", signInHref(to, next));
  };

  // With JavaScript the same schema checks the fields first; without it the form posts as is.
  const onValid = (data: SignInFields, event?: BaseSyntheticEvent) => {
    if (withPassword && !data.password) return setError("password", { message: "Enter your password" });
    const form = event?.target as HTMLFormElement;
    startTransition(() => action(new FormData(form)));
  };
  // A refusal names its field when it is about one; in password mode anything else shows under the password.
  const refusal = state.status === "error" ? state : null;
  const onEmail = refusal && (!withPassword || refusal.field === "email");
  const emailError = errors.email?.message ?? (onEmail ? refusal.message : null);
  const passwordError = errors.password?.message ?? (refusal && !onEmail ? refusal.message : null);
  const { ref: passwordRef, ...passwordProps } = register("password");

  return (
    <form action={action} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      <p className="lead">
        {withPassword ? "Sign in with your address and the password you set on your account page." : "Enter your e-mail address. We will mail you a link that signs you in. No password needed."}
      </p>
      {/* The value is in the HTML too: without JavaScript, register() never fills it in. */}
      {next ? <input type="hidden" defaultValue={next} {...register("next")} /> : null}
      <label htmlFor="email">E-mail address</label>
      <input
        id="email"
        type="email"
        autoComplete={withPassword ? "username" : "email"}
        inputMode="email"
        autoFocus={!withPassword || initialMode === "password"}
        required
        {...describedBy("email-error", emailError)}
        {...register("email")}
      />
      <FieldError id="email-error" error={emailError} />
      {withPassword ? (
        <>
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={PASSWORD_MAX_LENGTH}
            {...describedBy("password-error", passwordError)}
            {...passwordProps}
            ref={(element) => {
              passwordRef(element);
              passwordField.current = element;
            }}
          />
          <FieldError id="password-error" error={passwordError} />
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
          <p className="muted small">
            <a href={signInHref("link", next)} onClick={switchTo("link")} data-switch="link">
              E-mail me a sign-in link instead
            </a>{" "}
            · <Link href="/reset">Forgotten your password?</Link>
          </p>
        </>
      ) : (
        <>
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Sending…" : "E-mail me a sign-in link"}
          </button>
          <p className="muted small">
            <a href={signInHref("password", next)} onClick={switchTo("password")} data-switch="password">
              Use a password instead
            </a>
          </p>
        </>
      )}
    </form>
  );
}
