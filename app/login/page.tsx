import type { Metadata } from "next";

import { actionPaths } from "@/lib/action-paths";

import { LoginForm } from "./login-form";
import { PasswordSignInForm } from "./password-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next, "signed-out": signedOut } = await searchParams;
  // Only a registered action survives; anything else is dropped, not echoed.
  const checked = typeof next === "string" ? actionPaths.check(next) : null;
  const target = checked?.ok ? checked.path : null;
  return (
    <>
      <div className="card">
        {signedOut ? (
          <p role="status" className="notice ok" data-signed-out>
            You are signed out.
          </p>
        ) : null}
        <h1>Sign in</h1>
        <p className="lead">
          Enter your e-mail address. We will mail you a link that signs you in{target ? <> and takes you to <code>{target}</code></> : null}. No password needed.
        </p>
        <LoginForm next={target} />
      </div>
      <section className="card" aria-labelledby="with-password">
        <h2 id="with-password">Or use your password</h2>
        <p className="muted">If you set a password on your account page, you can sign in with it here.</p>
        <PasswordSignInForm next={target} />
      </section>
    </>
  );
}
