// What a person is told after a ticket did its work and there is nothing
// left to show on the ticket's own page (it is used now). The ticket forms
// redirect to /done/<outcome>: a plain GET page that reads the same with and
// without JavaScript, and that a reload or the back button cannot re-submit.

export const DONE_OUTCOMES = {
  "account-exists": {
    title: "You already have an account",
    message: "This address got an account in the meantime, so nothing was created. Sign in with a link, or reset the password.",
    next: { href: "/login", label: "Sign in" },
  },
  "email-changed": {
    title: "Your address was changed",
    message: "Your account now uses this address. Sign in with it from now on.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-taken": {
    title: "The address was not changed",
    message: "This address already has an account, so it cannot be used for another one.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-stale": {
    title: "The address was not changed",
    message: "The account's address changed since this link was sent, so nothing was done.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-cancelled": {
    title: "The change was cancelled",
    message: "Your account keeps this address. The confirmation link sent to the other address no longer works.",
    next: { href: "/account", label: "Go to your account" },
  },
  "email-change-undone": {
    title: "The change was undone",
    message: "Your account uses this address again, and every session was signed out. Sign in again, and consider resetting your password.",
    next: { href: "/login", label: "Sign in" },
  },
  "email-change-kept": {
    title: "Nothing was changed",
    message: "Your account keeps its address.",
    next: { href: "/account", label: "Go to your account" },
  },
} as const satisfies Record<string, { title: string; message: string; next: { href: string; label: string } }>;

export type DoneOutcome = keyof typeof DONE_OUTCOMES;

export function donePath(outcome: DoneOutcome): string {
  return `/done/${outcome}`;
}

export function isDoneOutcome(value: string): value is DoneOutcome {
  return Object.hasOwn(DONE_OUTCOMES, value);
}
