// Bugzilla's issue_new_user_account_token mail: confirm the address, then choose a password.
import { formatMinutes } from "@/lib/format";

import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface NewAccountEmailProps {
  url: string;
  expiresInMinutes: number;
  requestedFromIp?: string | null;
  appName?: string;
}

export const newAccountEmailPreview: NewAccountEmailProps = { url: "http://localhost:3000/ticket/preview-ticket-not-valid", expiresInMinutes: 1440, requestedFromIp: "192.0.2.10" };

export function newAccountEmail(props: NewAccountEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  return renderAccountMail({
    subject: `Confirm your new ${appName} account`,
    heading: "Confirm your new account",
    paragraphs: [`Someone asked to create a ${appName} account for this address. Open this link to choose a password and create it. It works once and expires in ${formatMinutes(props.expiresInMinutes)}:`],
    button: { url: props.url, label: "Create my account" },
    after: ["The account exists only once you confirm."],
    footer: ["If you did not ask for this, ignore this mail: no account is created.", ...fromLine(props.requestedFromIp)],
  });
}
