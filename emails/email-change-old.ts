// IssueEmailChangeToken, the mail to the old address: a link to cancel (and
// undo, if already confirmed) the change. Names the new address masked only.
import { plural } from "@/lib/format";

import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface EmailChangeOldEmailProps {
  url: string;
  /** The new address, masked (lib/forms/email.ts maskEmail: `n••••••••••••s@example.org`): this mailbox may not be the owner's any more. */
  maskedNewEmail: string;
  /** Typed on the cancel page: a scanner that opens the link cannot supply it (decision 15). */
  code: string;
  expiresInDays: number;
  requestedFromIp?: string | null;
  appName?: string;
  /** The app's public URL, for the link to the account page (where sessions are reviewed). */
  appUrl?: string;
}

export const emailChangeOldEmailPreview: EmailChangeOldEmailProps = { url: "http://localhost:3000/ticket/preview-ticket-not-valid", maskedNewEmail: "n••••••••••••s@example.org", code: "K7PD-M3QX", expiresInDays: 3, requestedFromIp: "192.0.2.10", appUrl: "http://localhost:3000" };

export function emailChangeOldEmail(props: EmailChangeOldEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  const days = plural(props.expiresInDays, "day");
  return renderAccountMail({
    subject: `Your ${appName} address is being changed`,
    heading: "Your address is being changed",
    paragraphs: [
      `Your ${appName} account asked to move from this address to ${props.maskedNewEmail}. The change happens once it is confirmed from the new address.`,
      `If this was not you, open this link to cancel it. It also undoes the change if it was already confirmed, and works for ${days}:`,
    ],
    code: { label: "The page asks for this code:", value: props.code },
    button: { url: props.url, label: "Cancel the change" },
    ...(props.appUrl
      ? { after: ["Then look at where your account is signed in."], links: [{ label: "Review your sessions", url: new URL("/account", props.appUrl).toString() }] }
      : {}),
    footer: ["If you asked for the change, there is nothing to do.", ...fromLine(props.requestedFromIp)],
  });
}
