"use server";

import { redirect } from "next/navigation";

import { waitText } from "@/lib/retry-after";
import { cancelEmailChangeWithTicket, confirmEmailChangeWithTicket, confirmSignupWithTicket, resetPasswordWithTicket } from "@/lib/server/account";
import { requestFreshLink, signInWithTicket } from "@/lib/server/login";
import { isSameOrigin, requestActor } from "@/lib/server/request";
import { guessingAllowed, noteUnknownTicket } from "@/lib/server/ticket-guard";
import type { Actor, RedeemResult } from "@/lib/tickets";
import { singleField } from "@/lib/validation/login";

import { MISUSED, type TicketProblem, problemOf, throttled } from "./problem";

export type TicketActionState =
  | { status: "idle" }
  | { status: "problem"; problem: TicketProblem }
  | { status: "message"; message: string; tone: "ok" | "error" }
  | { status: "invalid"; field: string; message: string }
  | { status: "done"; title: string; message: string };

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
export async function confirmTicketAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await signInWithTicket(ticket, actor);
  if (outcome.status === "signed-in") redirect(outcome.redirectTo);
  if (outcome.status === "misused") return { status: "problem", problem: MISUSED };
  return problem(outcome.result, actor);
}

/** "Send me a fresh link" on an expired or used link. */
export async function freshLinkAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
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
export async function resetPasswordAction(ticket: string, _prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
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
export async function confirmSignupAction(ticket: string, _prev: TicketActionState, form: FormData): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await confirmSignupWithTicket(ticket, passwordInput(form), actor);
  switch (outcome.status) {
    case "created":
      redirect("/account?welcome=1");
    case "invalid":
      return outcome;
    case "exists":
      return { status: "done", title: "You already have an account", message: "This address got an account in the meantime, so nothing was created. Sign in with a link, or reset the password." };
    case "closed":
      return { status: "message", tone: "error", message: "New accounts are not being created here at the moment." };
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}

/** The new address confirms an e-mail change. */
export async function confirmEmailChangeAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await confirmEmailChangeWithTicket(ticket, actor);
  switch (outcome.status) {
    case "changed":
      return { status: "done", title: "Your address was changed", message: "Your account now uses this address. Sign in with it from now on." };
    case "taken":
      return { status: "done", title: "The address was not changed", message: "This address already has an account, so it cannot be used for another one." };
    case "stale":
    case "cancelled":
      return { status: "done", title: "The address was not changed", message: "The account's address changed since this link was sent, so nothing was done." };
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}

/** The old address cancels (and, if confirmed already, undoes) an e-mail change. */
export async function cancelEmailChangeAction(ticket: string, _prev: TicketActionState): Promise<TicketActionState> {
  if (!(await isSameOrigin())) return CROSS_SITE;
  const { actor, refused } = await caller();
  if (refused) return refused;
  const outcome = await cancelEmailChangeWithTicket(ticket, actor);
  switch (outcome.status) {
    case "cancelled":
      return outcome.reverted
        ? { status: "done", title: "The change was undone", message: "Your account uses this address again, and every session was signed out. Sign in again, and consider resetting your password." }
        : { status: "done", title: "The change was cancelled", message: "Your account keeps this address. The confirmation link sent to the other address no longer works." };
    case "changed":
    case "taken":
    case "stale":
      return { status: "done", title: "Nothing was changed", message: "Your account keeps its address." };
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor);
  }
}
