// Bugzilla's IssuePasswordToken mail: a link to choose a new password.
import { formatMinutes } from "@/lib/format";

import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface PasswordResetEmailProps {
  url: string;
  expiresInMinutes: number;
  requestedFromIp?: string | null;
  appName?: string;
}

export const passwordResetEmailPreview: PasswordResetEmailProps = {
  url: "http://localhost:3000/ticket/preview-ticket-not-valid",
  expiresInMinutes: 60,
  requestedFromIp: "192.0.2.10",
};

export function passwordResetEmail(props: PasswordResetEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  return renderAccountMail({
    subject: `Choose a new password for ${appName}`,
    heading: "Choose a new password",
    paragraphs: [`Someone asked to reset the password of your ${appName} account. Open this link to choose a new one. It works once and expires in ${formatMinutes(props.expiresInMinutes)}:`],
    button: { url: props.url, label: "Choose a new password" },
    after: ["Setting a new password signs you out everywhere else."],
    footer: ["If you did not ask for this, ignore this mail: your password stays as it is.", ...fromLine(props.requestedFromIp)],
  });
}
