"use server";

import { redirect } from "next/navigation";

import { waitText } from "@/lib/format";
import { cancelEmailChangeWithTicket, confirmEmailChangeWithTicket, confirmSignupWithTicket, resetPasswordWithTicket } from "@/lib/account/account.server";
import { requestFreshLink, signInWithTicket } from "@/lib/sign-in/sign-in.server";
import { isSameOrigin, requestActor } from "@/lib/http/request.server";
import { guessingAllowed, noteUnknownTicket } from "@/lib/sign-in/guessing.server";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { donePath } from "@/lib/tickets/done";
import { singleField } from "@/lib/forms/sign-in";

import { MISUSED, type TicketProblem, problemOf, throttled } from "./problem";

// Every action here reads the ticket from the form's hidden `ticket` field.
// Never `action.bind(null, ticket)` in a client component: posted without
// JavaScript, such a form sent React's server render into an endless retry
// loop that froze the whole process (docs/decisions/0014-forms-that-never-break.md).

export type TicketActionState =
  | { status: "idle" }
  | { status: "problem"; problem: TicketProblem }
  | { status: "message"; message: string; tone: "ok" | "error" }
  | { status: "invalid"; field: string; message: string };

/** The ticket a form was rendered for; null when the field is missing, repeated or not text. */
function ticketOf(form: FormData): string | null {
  const value = singleField(form, "ticket");
  return typeof value === "string" && value.length > 0 && value.length <= 200 ? value : null;
}

/** A form without its ticket field was not sent by one of our pages. */
const NO_TICKET: TicketActionState = { status: "problem", problem: problemOf("unknown", null) };

const CROSS_SITE: TicketActionState = { status: "message", tone: "error", message: "This button only works on this site. Open the link from your mail again." };

/**
 * Who is asking — unless ticket guessing from their address is being
 * throttled: then nothing is looked up and `refused` is the answer.
 */
async function caller(): Promise<{ actor: Actor; refused: null } | { actor: null; refused: TicketActionState }> {
  const actor = await requestActor();
  const guard = await guessingAllowed(actor);
  return guard.allowed ? { actor, refused: null } : { actor: null, refused: { status: "problem", problem: throttled(guard.retryAfterSeconds) } };
}

/** The answer for a ticket that could not be used; a ticket that does not exist counts against the guessing limit. */
async function problem(result: RedeemResult, actor: Actor): Promise<TicketActionState> {
  if (result.status === "unknown") await noteUnknownTicket(actor);
  return { status: "problem", problem: problemOf(result.status, result.ticket) };
}

/** The confirmation button: spends the ticket and signs in. */
export async function confirmTicketAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await signInWithTicket(ticket, actor);
  if (outcome.status === "signed-in") redirect(outcome.redirectTo);
  if (outcome.status === "misused") return { status: "problem", problem: MISUSED };
  return problem(outcome.result, actor);
}

/** "Send me a fresh link" on an expired or used link. */
export async function freshLinkAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await requestFreshLink(ticket, actor);
  switch (outcome.status) {
    case "sent":
      return { status: "message", tone: "ok", message: "A fresh link is on its way. Use the link in the newest mail." };
    case "rate-limited":
      return { status: "message", tone: "error", message: `A link was sent moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
    case "not-allowed":
      return { status: "message", tone: "error", message: "A fresh link cannot be sent for this one. Ask for a new link on the sign-in page." };
  }
}

function passwordInput(form: FormData) {
  return { password: singleField(form, "password") ?? undefined, confirm: singleField(form, "confirm") ?? undefined };
}

/** A password reset link's form: validates, then spends the ticket and sets the password. */
export async function resetPasswordAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await resetPasswordWithTicket(ticket, passwordInput(form), actor);
  switch (outcome.status) {
    case "reset":
      redirect("/account?password=reset");
    case "invalid":
      return outcome;
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}

/** A new-account link's form: validates, then spends the ticket and creates the account. */
export async function confirmSignupAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await confirmSignupWithTicket(ticket, passwordInput(form), actor);
  switch (outcome.status) {
    case "created":
      redirect("/account?welcome=1");
    case "invalid":
      return outcome;
    case "exists":
      redirect(donePath("account-exists"));
    case "closed":
      return { status: "message", tone: "error", message: "New accounts are not being created here at the moment." };
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}

/** The new address confirms an e-mail change. */
export async function confirmEmailChangeAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await confirmEmailChangeWithTicket(ticket, actor);
  switch (outcome.status) {
    case "changed":
      redirect(donePath("email-changed"));
    case "taken":
      redirect(donePath("email-taken"));
    case "stale":
    case "cancelled":
      redirect(donePath("email-change-stale"));
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}

/** The old address cancels (and, if confirmed already, undoes) an e-mail change. */
export async function cancelEmailChangeAction(_prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const ticket = ticketOf(form);
  if (!ticket) return NO_TICKET;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await cancelEmailChangeWithTicket(ticket, actor);
  switch (outcome.status) {
    case "cancelled":
      redirect(donePath(outcome.reverted ? "email-change-undone" : "email-change-cancelled"));
    case "changed":
    case "taken":
    case "stale":
      redirect(donePath("email-change-kept"));
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}
