"use client";

import { useActionState } from "react";

import { type TicketActionState, confirmTicketAction } from "./actions";
import { ProblemPanel } from "./problem-panel";
import { FormNotice } from "@/app/_components/form-parts";

/** `destination`: where the link leads, in words (describeAction), never its path. */
export function ConfirmForm({ ticket, maskedEmail, destination }: { ticket?: string; maskedEmail: string; destination: string | null }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(confirmTicketAction, { status: "idle" });
  // Someone else (another tab, an attacker) may have used the ticket between the page and the click.
  if (state.status === "problem") return <ProblemPanel problem={state.problem} ticket={ticket ?? ""} />;
  return (
    <div className="card">
      <h1>Continue as {maskedEmail}</h1>
      <p className="lead">
        Press the button to sign in{destination ? ` and go on to ${destination}` : null}. This link works once.
      </p>
      <FormNotice message={state.status === "message" ? state.message : null} />
      <form action={formAction}>
        {ticket ? <input type="hidden" name="ticket" value={ticket} /> : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Signing in…" : `Continue as ${maskedEmail}`}
        </button>
      </form>
      <p className="muted small">Not you? Close this page; nothing happens until the button is pressed.</p>
    </div>
  );
}
