"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { cancelEmailChangeWithTicket, confirmEmailChangeWithTicket, confirmSignupWithTicket, resetPasswordWithTicket } from "@/lib/account/account.server";
import { env } from "@/lib/env";
import { plural, waitText } from "@/lib/format";
import type { Refusal } from "@/lib/forms/form-action";
import { formAction } from "@/lib/forms/form-action.server";
import { runtime } from "@/lib/runtime";
import { type LinkHereOutcome, approveWithNumber, checkUndoCode, linkForThisDevice, relationOfThisBrowser, ticketAccess } from "@/lib/sign-in/elsewhere.server";
import { noteUnknownTicket } from "@/lib/sign-in/guessing.server";
import { requestFreshLink, signInWithTicket } from "@/lib/sign-in/sign-in.server";
import type { Actor, RedeemResult, TicketRef, TicketType } from "@/lib/tickets";
import { type TicketProblem, donePath, undonePath } from "@/lib/tickets/outcomes";

import { MISUSED, problemOf, throttled } from "./problem";

// Every action here reads the ticket from the form's hidden `ticket` field.
// Never `action.bind(null, ticket)` in a client component: posted without
// JavaScript, such a form sent React's server render into an endless retry
// loop that froze the whole process (docs/decisions/0014-forms-that-never-break.md).

export type TicketActionState =
  | { status: "idle" }
  | { status: "problem"; problem: TicketProblem }
  /**
   * An answer in words. On a failure page's "Send me a new link": `waitSeconds` until another may be
   * asked for (the button stays, counting down), `final` when none can be sent from this page.
   */
  | { status: "message"; message: string; tone: "ok" | "error"; waitSeconds?: number; final?: boolean }
  | { status: "invalid"; field: string; message: string }
  /** Another device's number matched: the asking tab goes on; this browser got nothing. */
  | { status: "approved" };

/**
 * The ticket a form was rendered for; none on /continue, where the asking
 * browser goes on with its request that another device approved.
 */
const ticketForm = z.object({ ticket: z.string().min(1).max(200).optional() });
// A password sent twice (null) is left to the flow's own schema, which says what is wrong with it.
const passwordTicketForm = ticketForm.extend({ password: z.string().nullish().transform((v) => v ?? undefined), confirm: z.string().nullish().transform((v) => v ?? undefined) });
const numberForm = z.object({ ticket: z.string().min(1).max(200), number: z.string().max(20), intent: z.enum(["approve", "here"]) });
const addressForm = z.object({ ticket: z.string().min(1).max(200), email: z.string().max(320).optional() });
const undoForm = z.object({ ticket: z.string().min(1).max(200), code: z.string().max(40) });

/** What a ticket form shows when it was not run. */
function refused(refusal: Refusal): TicketActionState {
  switch (refusal.kind) {
    case "throttled":
      return { status: "problem", problem: throttled(refusal.retryAfterSeconds) };
    // A form without its fields was not sent by one of our pages.
    case "invalid":
      return { status: "problem", problem: problemOf("unknown", null) };
    default:
      return { status: "message", tone: "error", message: "This button only works on this site. Open the link from your mail again." };
  }
}

/** Ticket forms: same origin, the guessing limit, their fields. */
function ticketAction<Schema extends z.ZodType<{ ticket?: string }>>(schema: Schema, run: (input: z.output<Schema>, actor: Actor) => Promise<TicketActionState>) {
  return formAction({ schema, guessing: true, refused, run: (input, { actor }) => run(input, actor) });
}

const ASKED_ELSEWHERE: TicketActionState = {
  status: "message",
  tone: "error",
  message: "Nothing was done: this link was asked for in another browser. Open it there, or reload this page to continue here with the number that browser shows.",
};

/**
 * A ticket form's work, for the browser that asked only (decision 15): any
 * other gets ASKED_ELSEWHERE and nothing is spent. With no ticket field, the
 * asking browser goes on with its request another device approved.
 */
function boundTicketAction<Schema extends z.ZodType<{ ticket?: string }>>(schema: Schema, kinds: readonly TicketType[], run: (input: z.output<Schema>, ref: TicketRef, actor: Actor) => Promise<TicketActionState>) {
  return ticketAction(schema, async (input, actor) => {
    const access = await ticketAccess(input.ticket, kinds);
    return access.ok ? run(input, access.ref, actor) : ASKED_ELSEWHERE;
  });
}

/**
 * The answer for a ticket that could not be used; a ticket that does not exist counts against the guessing limit.
 * `reader`: "asker" when only the browser that asked could have pressed (it sees the address in full).
 */
async function problem(result: RedeemResult, actor: Actor, reader: "asker" | "anyone"): Promise<TicketActionState> {
  if (result.status === "unknown") await noteUnknownTicket(actor);
  return { status: "problem", problem: problemOf(result.status, result.ticket, reader) };
}

/** The confirmation button: spends the ticket and signs in. */
export const confirmTicketAction = boundTicketAction(ticketForm, ["login"], async (_input, ref, actor) => {
  const outcome = await signInWithTicket(ref, actor);
  if (outcome.status === "signed-in") redirect(outcome.redirectTo);
  if (outcome.status === "misused") return { status: "problem", problem: MISUSED };
  return problem(outcome.result, actor, "asker");
});

/**
 * "Send me a new link" on an expired or used link. The browser that asked
 * gets one with a press; any other types the full address first, and the
 * link it gets is bound to it. The words never say to check the mail for a
 * link unless one was just sent: the only link sent may be the used one.
 */
export const freshLinkAction = ticketAction(addressForm, async ({ ticket, email }, actor) => {
  // The binding is keyed by the ticket's id, not the value the form carries.
  const { ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
  const { relation } = found ? await relationOfThisBrowser(found.id) : { relation: "unbound" };
  if (relation !== "asker") {
    if (!email) return { status: "message", tone: "error", message: "Type the address this link was sent to, to get a link for this device." };
    return linkHereAnswer(await linkForThisDevice(ticket, email.trim().toLowerCase(), actor));
  }
  const outcome = await requestFreshLink(ticket, actor);
  switch (outcome.status) {
    case "sent":
      return { status: "message", tone: "ok", message: "A new link is on its way. Use the link in the newest mail.", waitSeconds: env().LOGIN_MIN_INTERVAL_SECONDS };
    case "rate-limited":
      return { status: "message", tone: "error", message: tooSoon(outcome.retryAfterSeconds), waitSeconds: outcome.retryAfterSeconds };
    case "not-allowed":
      return { status: "message", tone: "error", message: "A new link cannot be sent from this page. Ask for one on the sign-in page.", final: true };
  }
});

/** A press within the wait between two links: how long, and nothing about a link in the mail (there may be none that works). */
function tooSoon(retryAfterSeconds: number): string {
  return `A new link cannot be sent yet. You can ask for one in ${waitText(retryAfterSeconds)}.`;
}

function linkHereAnswer(outcome: LinkHereOutcome): TicketActionState {
  switch (outcome.status) {
    case "sent":
      return { status: "message", tone: "ok", message: "A link for this device is on its way. Open it here, in this browser.", waitSeconds: outcome.waitSeconds };
    case "wrong-address":
      return { status: "message", tone: "error", message: "That is not the address this link was sent to." };
    case "rate-limited":
      return { status: "message", tone: "error", message: tooSoon(outcome.retryAfterSeconds), waitSeconds: outcome.retryAfterSeconds };
    case "not-allowed":
      return { status: "message", tone: "error", message: "A link for this device cannot be sent for this one. Start again from the page where you asked.", final: true };
  }
}

/**
 * The number the asking browser shows, typed on this device: "approve" lets
 * that browser go on (this one gets nothing); "here" moves the ticket to
 * this browser — a sign-in link signs in here at once.
 */
export const approveAction = ticketAction(numberForm, async ({ ticket, number, intent }, actor) => {
  // Not a number at all (an empty field a scanner submitted) is no try: it cannot use up the person's tries.
  if (!/^\d{4}$/.test(number.trim())) return { status: "message", tone: "error", message: "Type the 4 digits that device shows." };
  const outcome = await approveWithNumber(ticket, number.trim(), intent, actor);
  switch (outcome.status) {
    case "approved":
      return { status: "approved" };
    case "moved": {
      // Only a sign-in link signs in here at once. Any other kind opens its form here: presented
      // to the sign-in, it would be cancelled as misused (and its requester told).
      const { ticket: found } = await runtime().tickets.peek(ticket, { quiet: true, domain: env().TICKET_DOMAIN });
      if (found?.type === "login") {
        const signIn = await signInWithTicket({ ticket }, actor);
        if (signIn.status === "signed-in") redirect(signIn.redirectTo);
      }
      // Its kind's form now opens here, or the page says why it could not be used.
      redirect(`/ticket/${encodeURIComponent(ticket)}`);
    }
    case "wrong":
      return {
        status: "message",
        tone: "error",
        message: outcome.attemptsLeft > 0 ? `That is not the number. ${plural(outcome.attemptsLeft, "try", "tries")} left.` : "That is not the number, and it was the last try: approving from here is locked for this link. The browser that asked can still use it.",
      };
    case "locked":
      return { status: "message", tone: "error", message: "Approving from here is locked for this link after wrong numbers. The browser that asked can still use it, or send a link to this device." };
    case "not-open":
      return { status: "problem", problem: problemOf("unknown", null) };
  }
});

/** When the asking browser is gone: a fresh link for this device, after typing the address it went to. */
export const linkHereAction = ticketAction(addressForm, async ({ ticket, email }, actor) => {
  if (!email) return { status: "message", tone: "error", message: "Type the address this link was sent to." };
  return linkHereAnswer(await linkForThisDevice(ticket, email.trim().toLowerCase(), actor));
});

/** A password reset link's form: validates, then spends the ticket and sets the password. */
export const resetPasswordAction = boundTicketAction(passwordTicketForm, ["password_reset"], async ({ password, confirm }, ref, actor) => {
  const outcome = await resetPasswordWithTicket(ref, { password, confirm }, actor);
  switch (outcome.status) {
    case "reset":
      redirect("/account?password=reset");
    case "invalid":
      return outcome;
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor, "asker");
  }
});

/** A new-account link's form: validates, then spends the ticket and creates the account. */
export const confirmSignupAction = boundTicketAction(passwordTicketForm, ["new_account"], async ({ password, confirm }, ref, actor) => {
  const outcome = await confirmSignupWithTicket(ref, { password, confirm }, actor);
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
      return problem(outcome.result, actor, "asker");
  }
});

/** The new address confirms an e-mail change. */
export const confirmEmailChangeAction = boundTicketAction(ticketForm, ["email_change_new"], async (_input, ref, actor) => {
  const outcome = await confirmEmailChangeWithTicket(ref, actor);
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
      return problem(outcome.result, actor, "asker");
  }
});

/**
 * The old address cancels (and, if confirmed already, undoes) an e-mail
 * change. Bound to no browser — the asker may be the intruder it stops — it
 * needs the code printed in its mail, typed, in any browser.
 */
export const cancelEmailChangeAction = ticketAction(undoForm, async ({ ticket, code }, actor) => {
  // Not a code at all (an empty field a scanner submitted) is no try.
  if (!/^[A-Za-z0-9]{8}$/.test(code.replace(/[\s-]/g, ""))) return { status: "invalid", field: "code", message: "Type the 8-character code from the mail, like K7PD-M3QX." };
  const check = await checkUndoCode(ticket, code);
  if (check.status === "wrong") return { status: "invalid", field: "code", message: check.attemptsLeft > 0 ? `That is not the code in the mail. ${plural(check.attemptsLeft, "try", "tries")} left.` : "That is not the code in the mail, and it was the last try." };
  if (check.status === "locked") return { status: "message", tone: "error", message: "This link's code no longer works after wrong tries. Your account keeps its address until the change is confirmed; sign in and check it, or contact an administrator." };
  const outcome = await cancelEmailChangeWithTicket({ ticket }, actor);
  switch (outcome.status) {
    case "cancelled":
      redirect(outcome.reverted ? undonePath(outcome.undone) : donePath("email-change-cancelled"));
    case "changed":
    case "taken":
    case "stale":
      redirect(donePath("email-change-kept"));
    case "misused":
      return { status: "problem", problem: MISUSED };
    case "refused":
      return problem(outcome.result, actor, "anyone");
  }
});
