// IssueEmailChangeToken, the mail to the new address: confirm to make the change.
import { plural } from "@/lib/format";

import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface EmailChangeNewEmailProps {
  url: string;
  expiresInDays: number;
  requestedFromIp?: string | null;
  appName?: string;
}

export const emailChangeNewEmailPreview: EmailChangeNewEmailProps = { url: "http://localhost:3000/ticket/preview-ticket-not-valid", expiresInDays: 3, requestedFromIp: "192.0.2.10" };

export function emailChangeNewEmail(props: EmailChangeNewEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  const days = plural(props.expiresInDays, "day");
  return renderAccountMail({
    subject: `Confirm your new address for ${appName}`,
    heading: "Confirm your new address",
    paragraphs: [`A ${appName} account asked to use this address from now on. Open this link to confirm; the change happens only then. The link works once and expires in ${days}:`],
    button: { url: props.url, label: "Confirm the new address" },
    footer: ["If you did not ask for this, ignore this mail: nothing changes.", ...fromLine(props.requestedFromIp)],
  });
}
