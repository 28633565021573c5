"use client";

import { useActionState } from "react";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/forms/account";

import { type AccountFormState, createApiTokenAction, requestEmailChangeAction, setPasswordAction } from "./actions";
import { describedBy, FieldError } from "@/app/_components/form-parts";
import { CopyButton } from "@/app/_components/copy-button";

function Answer({ state }: { state: AccountFormState }) {
  if (state.status === "idle") return null;
  return (
    <p role={state.status === "error" ? "alert" : "status"} className={state.status === "error" ? "notice error" : "notice ok"}>
      {state.message}
    </p>
  );
}

/**
 * Set a first password, or change it (the current one is asked for then).
 * The account's address rides along in a hidden username field, so password
 * managers save the pair (the server ignores it).
 */
export function PasswordForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const [state, formAction, pending] = useActionState<AccountFormState, FormData>(setPasswordAction, { status: "idle" });
  // An answer about one field is shown under it, as the other forms do; anything else at the top.
  const fieldError = (field: string) => (state.status === "error" && state.field === field ? state.message : null);
  const general: AccountFormState = state.status === "error" && state.field && ["current", "password", "confirm"].includes(state.field) ? { status: "idle" } : state;
  return (
    <form action={formAction} className="stack" data-password-form>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {hasPassword ? (
        <>
          <label htmlFor="current">Current password</label>
          <input id="current" name="current" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX_LENGTH} {...describedBy("current-error", fieldError("current"))} />
          <FieldError id="current-error" error={fieldError("current")} />
        </>
      ) : null}
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        maxLength={PASSWORD_MAX_LENGTH}
        aria-invalid={fieldError("password") ? true : undefined}
        aria-describedby={fieldError("password") ? "new-password-rule new-password-error" : "new-password-rule"}
      />
      <p id="new-password-rule" className="muted small">
        At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one.
      </p>
      <FieldError id="new-password-error" error={fieldError("password")} />
      <label htmlFor="confirm-password">New password, again</label>
      <input id="confirm-password" name="confirm" type="password" autoComplete="new-password" required maxLength={PASSWORD_MAX_LENGTH} {...describedBy("confirm-error", fieldError("confirm"))} />
      <FieldError id="confirm-error" error={fieldError("confirm")} />
      <Answer state={general} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Saving…" : hasPassword ? "Change password" : "Set password"}
      </button>
    </form>
  );
}

export function EmailChangeRequestForm() {
  const [state, formAction, pending] = useActionState<AccountFormState, FormData>(requestEmailChangeAction, { status: "idle" });
  return (
    <form action={formAction} className="stack">
      <label htmlFor="new-email">New e-mail address</label>
      <input id="new-email" name="email" type="email" autoComplete="email" inputMode="email" required />
      <Answer state={state} />
      <button type="submit" className="button secondary" disabled={pending}>
        {pending ? "Sending…" : "Change my address"}
      </button>
    </form>
  );
}

export function ApiTokenForm() {
  const [state, formAction, pending] = useActionState<AccountFormState, FormData>(createApiTokenAction, { status: "idle" });
  return (
    <form action={formAction} className="stack">
      <label htmlFor="token-name">Token name</label>
      <input id="token-name" name="name" type="text" maxLength={60} required placeholder="e.g. backup script" />
      <Answer state={state} />
      {state.status === "ok" && state.token ? (
        <p className="token-row">
          <code data-new-token>{state.token}</code>
          <CopyButton text={state.token} label="Copy token" />
        </p>
      ) : null}
      <button type="submit" className="button secondary" disabled={pending}>
        {pending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
