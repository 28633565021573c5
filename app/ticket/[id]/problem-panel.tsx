"use client";

import Link from "next/link";
import { useActionState } from "react";

import { type TicketProblem, problemText } from "@/lib/tickets/outcomes";

import { type TicketActionState, freshLinkAction } from "./actions";

export function ProblemPanel({ problem, ticket }: { problem: TicketProblem; ticket: string }) {
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
        <form action={formAction}>
          <input type="hidden" name="ticket" value={ticket} />
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Sending…" : "Send me a fresh link"}
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
