// What the account page says after each of its buttons did its work: the
// action redirects to /account?done=<key>, and the page shows the sentence
// as a status message, which screen readers announce.
export const ACCOUNT_CONFIRMATIONS = {
  "session-ended": "That session is signed out.",
  "others-ended": "Every other session is signed out. This one stays.",
  "link-cancelled": "The link was cancelled: nobody can use it now.",
  "change-withdrawn": "The e-mail change was withdrawn. Its links no longer work.",
  "token-revoked": "The token was revoked. Anything still using it is refused.",
  "app-revoked": "The app can no longer sign you in without asking, and its access ended.",
} as const;

export type AccountConfirmation = keyof typeof ACCOUNT_CONFIRMATIONS;

/** The sentence for a `done` query value, or null for anything else. */
export function accountConfirmation(value: unknown): string | null {
  return typeof value === "string" && Object.hasOwn(ACCOUNT_CONFIRMATIONS, value) ? ACCOUNT_CONFIRMATIONS[value as AccountConfirmation] : null;
}
