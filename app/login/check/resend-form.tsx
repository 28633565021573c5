"use client";

import { useActionState, useEffect, useState, useSyncExternalStore } from "react";

import { type FormState, requestLinkAction } from "../actions";
import { FormNotice } from "@/app/_components/form-parts";

/** "0:42" for 42 seconds. */
function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Asks again for the same address and destination. A new link can be asked
 * for once `availableAt` has passed: with JavaScript a live countdown holds
 * the button until then; without, the page says how long and the button
 * posts anyway (the server answers with the same wait if it is too soon).
 */
export function ResendForm({ email, next, waitSeconds }: { email: string; next: string | null; waitSeconds: number }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(requestLinkAction, { status: "idle" });
  const [left, setLeft] = useState(waitSeconds);
  // True once hydrated (false in the server's HTML): only then does the countdown run and hold the button.
  const live = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  useEffect(() => {
    const until = Date.now() + waitSeconds * 1000;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [waitSeconds]);
  const waiting = left > 0;

  return (
    <form action={formAction} className="stack">
      <input type="hidden" name="email" value={email} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormNotice message={state.status === "error" ? state.message : null} />
      <p className="muted small" role="timer" aria-live="off" data-resend-wait={left}>
        {waiting ? (live ? `You can ask for a new link in ${clock(left)}.` : `You can ask for a new link in about ${left} seconds.`) : "Nothing arrived? You can ask for a new link now."}
      </p>
      <button type="submit" className="button secondary" disabled={pending || (live && waiting)}>
        {pending ? "Sending…" : "Send a new link"}
      </button>
    </form>
  );
}
