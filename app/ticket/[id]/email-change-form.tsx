"use client";

import { useActionState } from "react";

import { type TicketActionState, cancelEmailChangeAction, confirmEmailChangeAction } from "./actions";
import { ProblemPanel } from "./problem-panel";
import { FormNotice } from "@/app/_components/form-parts";

/** The button an e-mail change ticket opens: confirm (new address) or cancel (old address). */
export function EmailChangeForm({ ticket, kind, maskedNewEmail }: { ticket: string; kind: "confirm" | "cancel"; maskedNewEmail: string }) {
  const action = kind === "confirm" ? confirmEmailChangeAction : cancelEmailChangeAction;
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(action, { status: "idle" });
  if (state.status === "problem") return <ProblemPanel problem={state.problem} ticket={ticket} />;
  return (
    <div className="card">
      <h1>{kind === "confirm" ? "Confirm your new address" : "Cancel the address change"}</h1>
      <p className="lead">
        {kind === "confirm" ? (
          <>
            Press the button to make <strong>{maskedNewEmail}</strong> your account&apos;s address. Nothing changes until you do.
          </>
        ) : (
          <>
            Someone asked to move your account to <strong>{maskedNewEmail}</strong>. Cancelling stops the change, or undoes it if it was already confirmed.
          </>
        )}
      </p>
      <FormNotice message={state.status === "message" ? state.message : null} />
      <form action={formAction}>
        <input type="hidden" name="ticket" value={ticket} />
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Working…" : kind === "confirm" ? "Confirm the new address" : "Cancel the change"}
        </button>
      </form>
    </div>
  );
}
