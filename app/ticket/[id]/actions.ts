"use server";

import { redirect } from "next/navigation";

import { waitText } from "@/lib/retry-after";
import { requestFreshLink, signInWithTicket } from "@/lib/server/login";
import { isSameOrigin, requestActor } from "@/lib/server/request";

import { type TicketProblem, problemOf } from "./problem";

export type TicketActionState = { status: "idle" } | { status: "problem"; problem: TicketProblem } | { status: "message"; message: string; tone: "ok" | "error" };

const CROSS_SITE: TicketActionState = { status: "message", tone: "error", message: "This button only works on this site. Open the link from your mail again." };

/** The confirmation button: spends the ticket and signs in. */
export async function confirmTicketAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const outcome = await signInWithTicket(ticket, await requestActor());
  if (outcome.status === "signed-in") redirect(outcome.redirectTo);
  return { status: "problem", problem: problemOf(outcome.result.status, outcome.result.ticket) };
}

/** "Send me a fresh link" on an expired or used link. */
export async function freshLinkAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const outcome = await requestFreshLink(ticket, await requestActor());
  switch (outcome.status) {
    case "sent":
      return { status: "message", tone: "ok", message: "A fresh link is on its way. Use the link in the newest mail." };
    case "rate-limited":
      return { status: "message", tone: "error", message: `A link was sent moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
    case "not-allowed":
      return { status: "message", tone: "error", message: "A fresh link cannot be sent for this one. Ask for a new link on the sign-in page." };
  }
}
