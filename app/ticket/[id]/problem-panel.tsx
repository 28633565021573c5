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
  throttled: {
    title: "Too many links that do not work",
    body: (p) => `Many links opened from your network in the last hour did not exist, so links are paused here for ${p.waitFor ?? "a while"}. Then open the link from your mail again.`,
  },
  misused: {
    title: "This link was cancelled",
    body: () => "It was made for something else than this page, so it has been cancelled for safety, and whoever asked for it has been told by mail. Ask for a new link if you need one.",
  },
};

/** Where to ask again, per purpose (sign-in links have their own texts above). */
const OTHER: Record<"password_reset" | "new_account" | "email_change_new" | "email_change_old", { noun: string; href: string; again: string }> = {
  password_reset: { noun: "password reset link", href: "/reset", again: "Ask for a new reset link" },
  new_account: { noun: "account confirmation link", href: "/signup", again: "Start again" },
  email_change_new: { noun: "address confirmation link", href: "/account", again: "Go to your account" },
  email_change_old: { noun: "cancellation link", href: "/account", again: "Go to your account" },
};

function textOf(problem: TicketProblem): { title: string; body: string; href: string; again: string } {
  if (problem.purpose === null || problem.purpose === "login" || problem.kind === "misused" || problem.kind === "unknown" || problem.kind === "throttled") {
    return { title: TEXT[problem.kind].title, body: TEXT[problem.kind].body(problem), href: "/login", again: "Ask for a new link" };
  }
  const other = OTHER[problem.purpose];
  const body = {
    expired: `This ${other.noun} has expired.`,
    closed: `This ${other.noun} was already used${problem.usedAt ? ` on ${problem.usedAt}` : ""}${problem.usedFrom ? ` from ${problem.usedFrom}` : ""}. Each link works once.`,
    superseded: `A newer ${other.noun} was sent, so this one no longer works. Use the link in the latest mail.`,
    revoked: `This ${other.noun} was cancelled and can no longer be used.`,
  }[problem.kind];
  return { title: TEXT[problem.kind].title, body, href: other.href, again: other.again };
}

export function ProblemPanel({ problem, ticket }: { problem: TicketProblem; ticket: string }) {
  const [state, formAction, pending] = useActionState<TicketActionState, FormData>(freshLinkAction, { status: "idle" });
  const text = textOf(problem);
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
        <Link className="button" href={text.href}>
          {text.again}
        </Link>
      )}
    </div>
  );
}
