"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { cancelEmailChangeWithTicket, confirmEmailChangeWithTicket, confirmSignupWithTicket, resetPasswordWithTicket } from "@/lib/account/account.server";
import { waitText } from "@/lib/format";
import type { Refusal } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";
import { noteUnknownTicket } from "@/lib/sign-in/guessing.server";
import { requestFreshLink, signInWithTicket } from "@/lib/sign-in/sign-in.server";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { type TicketProblem, donePath } from "@/lib/tickets/outcomes";

import { MISUSED, problemOf, throttled } from "./problem";

// Every action here reads the ticket from the form's hidden `ticket` field.
// Never `action.bind(null, ticket)` in a client component: posted without
// JavaScript, such a form sent React's server render into an endless retry
// loop that froze the whole process (docs/decisions/0014-forms-that-never-break.md).

export type TicketActionState =
  | { status: "idle" }
  | { status: "problem"; problem: TicketProblem }
  | { status: "message"; message: string; tone: "ok" | "error" }
  | { status: "invalid"; field: string; message: string };

/** The ticket a form was rendered for; the password forms' fields are checked by their flows. */
const ticketForm = z.object({ ticket: z.string().min(1).max(200) });
// A password sent twice (null) is left to the flow's own schema, which says what is wrong with it.
const passwordTicketForm = ticketForm.extend({ password: z.string().nullish().transform((v) => v ?? undefined), confirm: z.string().nullish().transform((v) => v ?? undefined) });

/** What a ticket form shows when it was not run. */
function refused(refusal: Refusal): TicketActionState {
  switch (refusal.kind) {
    case "throttled":
      return { status: "problem", problem: throttled(refusal.retryAfterSeconds) };
    // A form without its ticket field was not sent by one of our pages.
    case "invalid":
      return { status: "problem", problem: problemOf("unknown", null) };
    default:
      return { status: "message", tone: "error", message: "This button only works on this site. Open the link from your mail again." };
  }
}

/** Ticket forms: same origin, the guessing limit, the ticket field. */
function ticketAction<Schema extends typeof ticketForm>(schema: Schema, run: (input: z.output<Schema>, actor: Actor) => Promise<TicketActionState>) {
  return formAction({ schema, guessing: true, refused, run: (input, { actor }) => run(input, actor) });
}

/** The answer for a ticket that could not be used; a ticket that does not exist counts against the guessing limit. */
async function problem(result: RedeemResult, actor: Actor): Promise<TicketActionState> {
  if (result.status === "unknown") await noteUnknownTicket(actor);
  return { status: "problem", problem: problemOf(result.status, result.ticket) };
}

/** The confirmation button: spends the ticket and signs in. */
export const confirmTicketAction = ticketAction(ticketForm, async ({ ticket }, actor) => {
  const outcome = await signInWithTicket(ticket, actor);
  if (outcome.status === "signed-in") redirect(outcome.redirectTo);
  if (outcome.status === "misused") return { status: "problem", problem: MISUSED };
  return problem(outcome.result, actor);
});

/** "Send me a fresh link" on an expired or used link. */
export const freshLinkAction = ticketAction(ticketForm, async ({ ticket }, actor) => {
  const outcome = await requestFreshLink(ticket, actor);
  switch (outcome.status) {
    case "sent":
      return { status: "message", tone: "ok", message: "A fresh link is on its way. Use the link in the newest mail." };
    case "rate-limited":
      return { status: "message", tone: "error", message: `A link was sent moments ago. Check your mail, or wait ${waitText(outcome.retryAfterSeconds)} and try again.` };
    case "not-allowed":
      return { status: "message", tone: "error", message: "A fresh link cannot be sent for this one. Ask for a new link on the sign-in page." };
  }
});

/** A password reset link's form: validates, then spends the ticket and sets the password. */
export const resetPasswordAction = ticketAction(passwordTicketForm, async ({ ticket, password, confirm }, actor) => {
  const outcome = await resetPasswordWithTicket(ticket, { password, confirm }, actor);
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
});

/** A new-account link's form: validates, then spends the ticket and creates the account. */
export const confirmSignupAction = ticketAction(passwordTicketForm, async ({ ticket, password, confirm }, actor) => {
  const outcome = await confirmSignupWithTicket(ticket, { password, confirm }, actor);
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
});

/** The new address confirms an e-mail change. */
export const confirmEmailChangeAction = ticketAction(ticketForm, async ({ ticket }, actor) => {
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
});

/** The old address cancels (and, if confirmed already, undoes) an e-mail change. */
export const cancelEmailChangeAction = ticketAction(ticketForm, async ({ ticket }, actor) => {
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
});
