"use client";

import Link from "next/link";
import { useActionState } from "react";

import { type TicketActionState, freshLinkAction } from "./actions";
import type { TicketProblem } from "./problem";

const TEXT: Record<TicketProblem["kind"], { title: string; body: (p: TicketProblem) => string }> = {
  expired: { title: "This link has expired", body: (p) => `Sign-in links work for a short time only. We can send a fresh one to ${p.maskedEmail ?? "the same address"}, taking you to the same place.` },
  closed: {
    title: "This link was already used",
    body: (p) => `It was used${p.usedAt ? ` on ${p.usedAt}` : ""}${p.usedFrom ? ` from ${p.usedFrom}` : ""}. Each link works once. If that was not you, sign in and check your account's history.`,
  },
  superseded: { title: "A newer link was sent", body: () => "You asked for another link after this one, so this one no longer works. Use the link in the latest mail." },
  revoked: { title: "This link was cancelled", body: () => "It can no longer be used. Ask for a new link on the sign-in page." },
  unknown: { title: "This link is not valid", body: () => "It may be mistyped, incomplete, or too old. Ask for a new link on the sign-in page." },
};

export function ProblemPanel({ problem, ticket }: { problem: TicketProblem; ticket: string }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(freshLinkAction.bind(null, ticket), { status: "idle" });
  const text = TEXT[problem.kind];
  return (
    <div className="card" data-ticket-problem={problem.kind}>
      <h1>{text.title}</h1>
      <p className="lead">{text.body(problem)}</p>
      {state.status === "message" ? (
        <p role="status" className={state.tone === "ok" ? "notice ok" : "notice error"}>
          {state.message}
        </p>
      ) : problem.canRefresh ? (
        <form action={formAction}>
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Sending…" : "Send me a fresh link"}
          </button>
        </form>
      ) : (
        <Link className="button" href="/login">
          Ask for a new link
        </Link>
      )}
    </div>
  );
}
