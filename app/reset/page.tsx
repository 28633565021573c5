import type { Metadata } from "next";
import Link from "next/link";

import { requestResetAction } from "./actions";
import { AddressForm } from "@/app/_components/address-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ResetPage() {
  return (
    <div className="card">
      <h1>Reset your password</h1>
      <p className="lead">Enter your account&apos;s e-mail address. We will mail you a link to choose a new password; using it signs you out everywhere else.</p>
      <AddressForm action={requestResetAction} button="Mail me a reset link" pendingLabel="Sending…" kind="password_reset" />
      <p className="muted small">
        No password needed to sign in: <Link href="/login">get a sign-in link</Link> instead.
      </p>
    </div>
  );
}
