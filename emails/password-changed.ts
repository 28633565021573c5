// The notice after a password was set, changed or reset: who did it, and
// links to act if it was not the owner (no ticket: plain pages of the app).
import { formatWhen, plural } from "@/lib/format";

import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import { oneLine } from "./layout";
import type { RenderedEmail } from "./login-link";

export interface PasswordChangedEmailProps {
  /** "reset": through a mailed link; "changed": on the account page; "set": a first password. */
  how: "reset" | "changed" | "set";
  at: Date;
  /** The address the change came from. */
  ip?: string | null;
  /** For a reset: the address the reset link was asked for from. */
  requestedFromIp?: string | null;
  /** Personal API tokens revoked with the change ("Credentials end together"); said only when there were any. */
  revokedApiTokens?: number;
  appName?: string;
  /** The app's public URL (APP_URL): the mail links to its reset page and account page. */
  appUrl: string;
}

export const passwordChangedEmailPreview: PasswordChangedEmailProps = { how: "reset", at: new Date("2026-11-24T09:00:00Z"), ip: "192.0.2.10", revokedApiTokens: 2, appUrl: "https://auth.example.com" };

export function passwordChangedEmail(props: PasswordChangedEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  const when = formatWhen(props.at);
  const what = props.how === "set" ? "A password was set" : "Your password was changed";
  const how =
    props.how === "reset"
      ? "It was reset with a link mailed to this address. Every session was signed out and every other reset link cancelled."
      : props.how === "changed"
        ? "It was changed on the account page. Every other session was signed out."
        : "You can now sign in with it as well as with a mailed link.";
  const tokens = props.revokedApiTokens ?? 0;
  const revoked = tokens > 0 ? [`${plural(tokens, "personal API token")} of yours ${tokens === 1 ? "was" : "were"} revoked: scripts that used ${tokens === 1 ? "it need a new one" : "them need new ones"} from your account page.`] : [];
  return renderAccountMail({
    subject: `${what} for ${appName}`,
    heading: what,
    paragraphs: [`${what} for your ${appName} account on ${when}.`, how, ...revoked],
    after: [`If this was not you, reset the password at once, then look at where your account is signed in.`],
    links: [
      { label: "Reset the password", url: new URL("/reset", props.appUrl).toString() },
      { label: "Review your sessions", url: new URL("/account", props.appUrl).toString() },
    ],
    footer: [...fromLine(props.ip, "The change"), ...(props.requestedFromIp ? [`The reset link had been asked for from the address ${oneLine(props.requestedFromIp)}.`] : [])],
  });
}
