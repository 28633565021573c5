import type { Metadata } from "next";
import Link from "next/link";

import { env } from "@/lib/env";
import { formatMinutes } from "@/lib/format";
import { askedHere, secondsUntilAskAgain } from "@/lib/sign-in/asked.server";
import { numberForThisBrowser } from "@/lib/sign-in/asking.server";
import { latestRequest } from "@/lib/sign-in/binding";
import { browserSecret } from "@/lib/sign-in/browser.server";
import { bindingDeps } from "@/lib/sign-in/sign-in.server";

import { ApprovalPanel } from "@/app/_components/approval-panel";
import { signInHref } from "../sign-in-href";
import { CodeForm } from "./code-form";
import { ResendForm } from "./resend-form";
import { Address } from "@/app/_components/address";

export const metadata: Metadata = { title: "Check your mail" };
// Reads the runtime configuration (the link lifetime), so it is rendered per request.
export const dynamic = "force-dynamic";

export default async function CheckMailPage() {
  const config = env();
  const [asked, request] = await Promise.all([askedHere(), browserSecret().then((browser) => latestRequest(bindingDeps(), browser, ["login"]))]);
  // Nothing asked in this browser (or it has expired): no claim that a link is on its way.
  if (!asked || !request) {
    return (
      <div className="card" data-nothing-asked>
        <h1>No link asked for here</h1>
        <p className="lead">This browser has not asked for a sign-in link lately, or the link it asked for has expired.</p>
        <Link className="button" href="/login">
          Ask for a sign-in link
        </Link>
      </div>
    );
  }
  const number = await numberForThisBrowser("login");
  const waitSeconds = secondsUntilAskAgain(asked);
  const outbox = config.NODE_ENV !== "production" && !config.SMTP_URL;
  return (
    <>
      <div className="card">
        <h1>Check your mail</h1>
        <p className="lead">
          If{" "}
          <strong>
            <Address email={asked.email} data-asked-address />
          </strong>{" "}
          can sign in here, a link is on its way to it. It works once and for{" "}
          {formatMinutes(config.LOGIN_TICKET_TTL_MINUTES)}; only the latest link you asked for works.
        </p>
        <p className="muted">
          Wrong address? <Link href={signInHref("link", asked.next)}>Use another one</Link>. Nothing after a few minutes? Look in the spam folder.
        </p>
        {outbox ? (
          <p className="notice ok" data-dev-outbox>
            Development: mail is not sent, it waits in the <Link href="/dev/outbox">outbox</Link>.
          </p>
        ) : null}
        <ResendForm email={asked.email} next={asked.next} waitSeconds={waitSeconds} />
      </div>
      {/* Another device, one section: approve there with this number, or type the mail's code here. */}
      <div className="card">
        {number ? (
          <>
            <ApprovalPanel number={number} kind="login" />
            <p className="muted">Or type the 6-digit code from the mail here instead of opening the link.</p>
          </>
        ) : (
          <>
            <h2>Reading mail on another device?</h2>
            <p className="muted">Type the 6-digit code from the mail here instead of opening the link.</p>
          </>
        )}
        <CodeForm />
      </div>
    </>
  );
}
