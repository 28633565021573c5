"use client";

import { useActionState } from "react";

import { type TicketActionState, confirmTicketAction } from "./actions";
import { ProblemPanel } from "./problem-panel";
import { Address } from "@/app/_components/address";
import { FormNotice } from "@/app/_components/form-parts";

/**
 * `address`: the link's address, in full (only the browser that asked sees this form, and it typed it).
 * `destination`: where the link leads, in words (describeAction), never its path.
 */
export function ConfirmForm({ ticket, address, destination }: { ticket?: string; address: string; destination: string | null }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(confirmTicketAction, { status: "idle" });
  // Someone else (another tab, an attacker) may have used the ticket between the page and the click.
  if (state.status === "problem") return <ProblemPanel problem={state.problem} ticket={ticket ?? ""} />;
  return (
    <div className="card">
      <h1>
        Continue as <Address email={address} />
      </h1>
      <p className="lead">
        Press the button to sign in{destination ? ` and go on to ${destination}` : null}. This link works once.
      </p>
      <FormNotice message={state.status === "message" ? state.message : null} />
      <form action={formAction}>
        {ticket ? <input type="hidden" name="ticket" value={ticket} /> : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? (
            "Signing in…"
          ) : (
            <>
              Continue as <Address email={address} />
            </>
          )}
        </button>
      </form>
      <p className="muted small">Not you? Close this page; nothing happens until the button is pressed.</p>
    </div>
  );
}
