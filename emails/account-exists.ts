// Sent instead of a new-account link when the address already has an account:
// the page that asked says the same either way, only the owner learns more.
import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface AccountExistsEmailProps {
  /** APP_URL, for the sign-in and reset pages. */
  appUrl: string;
  requestedFromIp?: string | null;
  appName?: string;
}

export const accountExistsEmailPreview: AccountExistsEmailProps = { appUrl: "http://localhost:3000", requestedFromIp: "192.0.2.10" };

export function accountExistsEmail(props: AccountExistsEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  return renderAccountMail({
    subject: `You already have a ${appName} account`,
    heading: "You already have an account",
    paragraphs: [`Someone asked to create a ${appName} account for this address, but it already has one, so nothing was changed.`, "Sign in with a mailed link, or reset your password if you have forgotten it:"],
    button: { url: `${props.appUrl}/login`, label: "Sign in" },
    after: [`Forgotten your password? ${props.appUrl}/reset`],
    footer: ["If you did not ask for this, ignore this mail.", ...fromLine(props.requestedFromIp)],
  });
}
