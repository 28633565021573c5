"use client";

import { useActionState } from "react";

import { Address } from "@/app/_components/address";
import { FieldError, FormNotice, describedBy } from "@/app/_components/form-parts";

import { type TicketActionState, cancelEmailChangeAction, confirmEmailChangeAction } from "./actions";
import { ProblemPanel } from "./problem-panel";

/**
 * What an e-mail change ticket opens: confirm (new address, in the browser
 * that asked, or on /continue without `ticket`) or cancel (old address: in
 * any browser, with the code printed in its mail — decision 15). `newAddress`:
 * in full to confirm (the account that asked typed it), masked to cancel (the old
 * mailbox may not own the new one).
 */
export function EmailChangeForm({ ticket, kind, newAddress }: { ticket?: string; kind: "confirm" | "cancel"; newAddress: string }) {
  const action = kind === "confirm" ? confirmEmailChangeAction : cancelEmailChangeAction;
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(action, { status: "idle" });
  if (state.status === "problem") return <ProblemPanel problem={state.problem} ticket={ticket ?? ""} />;
  const codeError = state.status === "invalid" && state.field === "code" ? state.message : null;
  return (
    <div className="card">
      <h1>{kind === "confirm" ? "Confirm your new address" : "Cancel the address change"}</h1>
      <p className="lead">
        {kind === "confirm" ? (
          <>
            Press the button to make{" "}
            <strong>
              <Address email={newAddress} data-new-address />
            </strong>{" "}
            your account&apos;s address. Nothing changes until you do.
          </>
        ) : (
          <>
            Someone asked to move your account to{" "}
            <strong>
              <Address email={newAddress} after="." data-new-address />
            </strong>{" "}
            Cancelling stops the change, or undoes it if it was already confirmed.
          </>
        )}
      </p>
      <FormNotice message={state.status === "message" ? state.message : null} />
      <form action={formAction} className="stack">
        {ticket ? <input type="hidden" name="ticket" value={ticket} /> : null}
        {kind === "cancel" ? (
          <>
            <label htmlFor="code">The code from the mail</label>
            <input id="code" name="code" type="text" autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} maxLength={20} required placeholder="K7PD-M3QX" {...describedBy("code-error", codeError)} />
            <FieldError id="code-error" error={codeError} />
          </>
        ) : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Working…" : kind === "confirm" ? "Confirm the new address" : "Cancel the change"}
        </button>
      </form>
    </div>
  );
}
