import type { Metadata } from "next";
import Link from "next/link";

import { AddressForm } from "@/app/_components/address-form";
import { env } from "@/lib/env";

import { requestSignupAction } from "./actions";

export const metadata: Metadata = { title: "Create an account" };
// Reads SIGNUP at run time.
export const dynamic = "force-dynamic";

export default function SignupPage() {
  if (env().SIGNUP === "closed") {
    return (
      <div className="card">
        <h1>Create an account</h1>
        <p className="lead">New accounts are not being created here at the moment.</p>
        <Link className="button" href="/login">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>Create an account</h1>
      <p className="lead">Enter your e-mail address. We will mail you a link to confirm it and choose a password; the account exists once you confirm.</p>
      <AddressForm action={requestSignupAction} button="Mail me a confirmation link" pendingLabel="Sending…" kind="new_account" />
      <p className="muted small">
        Already have an account? <Link href="/login">Sign in</Link>.
      </p>
    </div>
  );
}
