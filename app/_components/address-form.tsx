"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { type AddressInput, addressSchema } from "@/lib/forms/account";
import type { ApprovableKind } from "@/app/_components/approvable";
import { ApprovalPanel } from "@/app/_components/approval-panel";
import { describedBy, FieldError } from "@/app/_components/form-parts";

export type AddressFormState =
  | { status: "idle" }
  | { status: "error"; message: string }
  /** `number`: what this tab shows for the other device, should the mail be opened there (decision 15). */
  | { status: "sent"; message: string; number?: string };

/**
 * One address in, one answer out: the form behind /reset and /signup. The
 * answer after sending is the same text whatever happened to the address.
 */
export function AddressForm({ action, button, pendingLabel, kind }: { action: (prev: AddressFormState, form: FormData) => Promise<AddressFormState>; button: string; pendingLabel: string; kind: ApprovableKind }) {
  const [state, formAction, pending] = useActionState<AddressFormState, FormData>(action, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<AddressInput>({ resolver: zodResolver(addressSchema), defaultValues: { email: "" } });
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  if (state.status === "sent") {
    return (
      <>
        <p role="status" className="notice ok" data-answer="sent">
          {state.message}
        </p>
        {state.number ? <ApprovalPanel number={state.number} kind={kind} /> : null}
      </>
    );
  }
  const error = errors.email?.message ?? (state.status === "error" ? state.message : null);
  return (
    <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      <label htmlFor="email">E-mail address</label>
      <input id="email" type="email" autoComplete="email" inputMode="email" autoFocus required {...describedBy("email-error", error)} {...register("email")} />
      <FieldError id="email-error" error={error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? pendingLabel : button}
      </button>
    </form>
  );
}
