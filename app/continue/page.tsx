import type { Metadata } from "next";
import Link from "next/link";

import { APPROVING, isApprovable } from "@/app/_components/approvable";
import { ApprovalPanel } from "@/app/_components/approval-panel";
import { ConfirmForm } from "@/app/_components/ticket/confirm-form";
import { EmailChangeForm } from "@/app/_components/ticket/email-change-form";
import { PasswordForm } from "@/app/_components/ticket/password-form";
import { describeAction } from "@/lib/action-paths";
import { numberForThisBrowser } from "@/lib/sign-in/asking.server";
import { approvedTicketOfThisBrowser } from "@/lib/sign-in/elsewhere.server";

export const metadata: Metadata = { title: "Continue", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * The asking browser, once another device approved its request with the
 * number (decision 15): the request's own form, without the link — the
 * approval stands in for it. Looking spends nothing; the form's press does.
 * Before the approval, the asking tab's "continue" without JavaScript lands
 * here (`?kind=`): the number again, and the answer "not approved yet".
 */
export default async function ContinuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ticket = await approvedTicketOfThisBrowser();
  if (!ticket?.email) {
    const { kind } = await searchParams;
    const number = isApprovable(kind) ? await numberForThisBrowser(kind) : null;
    if (isApprovable(kind) && number) {
      return (
        <div className="card" data-continue="waiting">
          <h1>Waiting for the other device</h1>
          <p className="lead">Open the link from the mail on your other device and approve {APPROVING[kind]} there with this number; then continue here.</p>
          <ApprovalPanel number={number} kind={kind} />
        </div>
      );
    }
    return (
      <div className="card" data-continue="none">
        <h1>Nothing to continue</h1>
        <p className="lead">No request of this browser was approved from another device, or it was used already.</p>
        <Link className="button" href="/login">
          Go to sign-in
        </Link>
      </div>
    );
  }
  // This is the browser that asked (and typed the address): it sees it in full.
  const change = ticket.payload as { newEmail?: unknown } | null;
  switch (ticket.type) {
    case "login":
      return <ConfirmForm address={ticket.email} destination={describeAction(ticket.data)} />;
    case "password_reset":
      return <PasswordForm address={ticket.email} kind="reset" />;
    case "new_account":
      return <PasswordForm address={ticket.email} kind="signup" />;
    case "email_change_new":
      return <EmailChangeForm kind="confirm" newAddress={typeof change?.newEmail === "string" ? change.newEmail : ""} />;
    default:
      return null;
  }
}
