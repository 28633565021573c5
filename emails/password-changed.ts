// The notice after a password was set, changed or reset: no link, who did it.
import { formatWhen } from "@/lib/format";

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
}

export const passwordChangedEmailPreview: PasswordChangedEmailProps = { how: "reset", at: new Date("2026-11-24T09:00:00Z"), ip: "192.0.2.10", revokedApiTokens: 2 };

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
  const revoked = tokens > 0 ? [`Your personal API tokens were revoked (${tokens}): scripts that used them need a new one from your account page.`] : [];
  return renderAccountMail({
    subject: `${what} for ${appName}`,
    heading: what,
    paragraphs: [`${what} for your ${appName} account on ${when}.`, how, ...revoked],
    after: [`If this was not you, ask for a password reset at once, and check the sessions on your account page.`],
    footer: [...fromLine(props.ip, "The change"), ...(props.requestedFromIp ? [`The reset link had been asked for from the address ${oneLine(props.requestedFromIp)}.`] : [])],
  });
}
