"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, type ClipboardEvent, type KeyboardEvent, startTransition, useActionState, useRef, useState, useSyncExternalStore } from "react";
import { useForm } from "react-hook-form";

import { type LoginCodeInput, loginCodeSchema } from "@/lib/forms/sign-in";

import { type FormState, verifyCodeAction } from "../actions";
import { describedBy, FieldError } from "@/app/_components/form-parts";

const DIGITS = 6;
const EMPTY = Array.from({ length: DIGITS }, () => "");

/**
 * The 6-digit code from the mail. The server's HTML is one field (it works
 * without JavaScript, and takes "564-213" as the mail prints it); once the
 * page is live it becomes six boxes: typing moves on, Backspace moves back,
 * pasting the code fills them all, and the sixth digit — typed or pasted —
 * sends the form.
 */
export function CodeForm() {
  const [state, formAction, pending] = useActionState<FormState, FormData>(verifyCodeAction, { status: "idle" });
  const {
    register,
    handleSubmit,
    setValue,
    formState: { errors },
  } = useForm<LoginCodeInput>({ resolver: zodResolver(loginCodeSchema), defaultValues: { code: "" } });
  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  const error = errors.code?.message ?? (state.status === "error" ? state.message : null);

  const live = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  const [digits, setDigits] = useState<string[]>(EMPTY);
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const form = useRef<HTMLFormElement>(null);

  /** Writes `text`'s digits from box `from` on; sends the form when `send` and all six are there. */
  function enter(from: number, text: string, send: boolean) {
    const next = [...digits];
    const typed = text.replace(/\D/g, "").slice(0, DIGITS - from).split("");
    typed.forEach((digit, i) => (next[from + i] = digit));
    if (typed.length === 0) next[from] = "";
    setDigits(next);
    const code = next.join("");
    setValue("code", code);
    boxes.current[Math.min(from + Math.max(typed.length, 1), DIGITS) - (typed.length === 0 ? 1 : 0)]?.focus();
    if (send && code.length === DIGITS) form.current?.requestSubmit();
  }

  function onKeyDown(i: number, event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Backspace" && !digits[i] && i > 0) {
      event.preventDefault();
      enter(i - 1, "", false);
      boxes.current[i - 1]?.focus();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    event.preventDefault();
    setDigits(EMPTY);
    const pasted = event.clipboardData.getData("text").replace(/\D/g, "").slice(0, DIGITS);
    const next = EMPTY.map((_, i) => pasted[i] ?? "");
    setDigits(next);
    setValue("code", pasted);
    boxes.current[Math.min(pasted.length, DIGITS - 1)]?.focus();
    if (pasted.length === DIGITS) form.current?.requestSubmit();
  }

  return (
    <form ref={form} action={formAction} onSubmit={handleSubmit(onValid)} noValidate className="stack">
      {live ? (
        <>
          <label htmlFor="code-1">Code from the mail</label>
          <input type="hidden" {...register("code")} />
          <div className="code-boxes" role="group" aria-label="6-digit code">
            {digits.map((digit, i) => (
              <span key={i} className="code-box">
                {i === DIGITS / 2 ? (
                  <span className="code-dash" aria-hidden="true">
                    –
                  </span>
                ) : null}
                <input
                  id={`code-${i + 1}`}
                  ref={(element) => {
                    boxes.current[i] = element;
                  }}
                  value={digit}
                  inputMode="numeric"
                  autoComplete={i === 0 ? "one-time-code" : "off"}
                  aria-label={i === 0 ? undefined : `Digit ${i + 1} of ${DIGITS}`}
                  {...(i === 0 ? describedBy("code-error", error) : {})}
                  onChange={(event) => {
                    const value = event.target.value.replace(/\D/g, "");
                    // One new digit typed (the box held one already: keep the new one); or several at once, as autofill does.
                    const typed = value.length === 2 && digit ? value.replace(digit, "") || digit : value;
                    enter(i, typed, typed.length === 1 && i === DIGITS - 1);
                  }}
                  onKeyDown={(event) => onKeyDown(i, event)}
                  onPaste={onPaste}
                  onFocus={(event) => event.target.select()}
                />
              </span>
            ))}
          </div>
        </>
      ) : (
        <>
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
        </>
      )}
      <FieldError id="code-error" error={error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Checking…" : "Sign in with the code"}
      </button>
    </form>
  );
}
