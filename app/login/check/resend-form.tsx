"use client";

import { useActionState } from "react";

import { type FormState, requestLinkAction } from "../actions";
import { WaitNote, useCountdown } from "@/app/_components/countdown";
import { FormNotice } from "@/app/_components/form-parts";

/**
 * Asks again for the same address and destination. A new link can be asked
 * for once `waitSeconds` have passed: with JavaScript a live countdown holds
 * the button until then; without, the page says how long and the button
 * posts anyway (the server answers with the same wait if it is too soon).
 */
export function ResendForm({ email, next, waitSeconds }: { email: string; next: string | null; waitSeconds: number }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(requestLinkAction, { status: "idle" });
  const { left, live } = useCountdown(waitSeconds);

  return (
    <form action={formAction} className="stack">
      <input type="hidden" name="email" value={email} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormNotice message={state.status === "error" ? state.message : null} />
      <WaitNote left={left} live={live} ready="Nothing arrived? You can ask for a new link now." />
      <button type="submit" className="button secondary" disabled={pending || (live && left > 0)}>
        {pending ? "Sending…" : "Send a new link"}
      </button>
    </form>
  );
}
