"use client";

// The asking tab's half of number matching (decision 15): the number to type
// on the other device, and what happens once it is typed there. With
// JavaScript the tab asks every second and goes on by itself; without, the
// person presses Continue, which posts to /continue (the form's permalink):
// that page shows this panel again, with the answer, while nothing is approved.
import { useActionState, useEffect, useRef } from "react";

import { type ContinueState, continueAction } from "@/app/continue/actions";
import { FormNotice } from "@/app/_components/form-parts";
import { APPROVING, type ApprovableKind } from "@/app/_components/approvable";

const POLL_MS = 1_000;

export function ApprovalPanel({ number, kind }: { number: string; kind: ApprovableKind }) {
  const [state, formAction, pending] = useActionState<ContinueState, FormData>(continueAction, { status: "idle" }, `/continue?kind=${kind}`);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const answer = (await (await fetch(`/api/approval?kind=${kind}`, { cache: "no-store" })).json()) as { state?: string };
        if (stopped) return;
        if (answer.state === "approved") {
          stopped = true;
          clearInterval(timer);
          form.current?.requestSubmit();
        } else if (answer.state === "done" || answer.state === "none") {
          clearInterval(timer);
        }
      } catch {
        // Offline for a moment: the next tick asks again.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [kind]);

  return (
    <div className="approval" data-approval-number={number}>
      <h2>Opening the mail on another device?</h2>
      <p className="muted">
        Open the link there and choose to approve {APPROVING[kind]}. When it asks, type this number:
      </p>
      <p className="approval-number" aria-label={`Number ${number.split("").join(" ")}`}>
        {number}
      </p>
      <form ref={form} action={formAction}>
        <FormNotice message={state.status === "waiting" ? state.message : null} />
        <button type="submit" className="button secondary" disabled={pending}>
          {pending ? "Continuing…" : "I approved it there — continue here"}
        </button>
      </form>
    </div>
  );
}
