"use client";

import Link from "next/link";
import { useActionState } from "react";

import { type TicketProblem, problemText } from "@/lib/tickets/outcomes";

import { type TicketActionState, freshLinkAction } from "./actions";

/**
 * Why a link cannot be used, and the way on. `askAddress`: this browser did
 * not ask for the link, so a fresh one is mailed only after the person types
 * the address (decision 15) — a scanner pressing the button gets nothing.
 */
export function ProblemPanel({ problem, ticket, askAddress = false }: { problem: TicketProblem; ticket: string; askAddress?: boolean }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(freshLinkAction, { status: "idle" });
  const text = problemText(problem);
  return (
    <div className="card" data-ticket-problem={problem.kind}>
      <h1>{text.title}</h1>
      <p className="lead">{text.body}</p>
      {state.status === "message" ? (
        <p role="status" className={state.tone === "ok" ? "notice ok" : "notice error"}>
          {state.message}
        </p>
      ) : problem.canRefresh ? (
        <form action={formAction} className="stack">
          <input type="hidden" name="ticket" value={ticket} />
          {askAddress ? (
            <>
              <label htmlFor="fresh-email">Your e-mail address</label>
              <input id="fresh-email" name="email" type="email" autoComplete="email" inputMode="email" required />
            </>
          ) : null}
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Sending…" : askAddress ? "Send a fresh link to this device" : "Send me a fresh link"}
          </button>
        </form>
      ) : (
        <Link className="button" href={text.again.href}>
          {text.again.label}
        </Link>
      )}
    </div>
  );
}
