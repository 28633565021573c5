// Sent to the new address instead of the confirmation link when that address
// already has an account: the requester sees the same answer either way.
import { appNameOf, fromLine, renderAccountMail } from "./account-mail";
import type { RenderedEmail } from "./login-link";

export interface EmailChangeTakenEmailProps {
  requestedFromIp?: string | null;
  appName?: string;
}

export function emailChangeTakenEmail(props: EmailChangeTakenEmailProps): RenderedEmail {
  const appName = appNameOf(props.appName);
  return renderAccountMail({
    subject: `An account asked to use this address on ${appName}`,
    heading: "This address is already in use",
    paragraphs: [`Another ${appName} account asked to move to this address. This address already has its own account, so the change cannot be made and nothing was changed.`],
    footer: ["If you did not ask for this, ignore this mail.", ...fromLine(props.requestedFromIp)],
  });
}
