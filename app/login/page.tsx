import type { Metadata } from "next";

import { actionPaths, describeAction } from "@/lib/action-paths";

import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next, "signed-out": signedOut, with: mode } = await searchParams;
  // Only a registered action survives; anything else is dropped, not echoed.
  const checked = typeof next === "string" ? actionPaths.check(next) : null;
  const target = checked?.ok ? checked.path : null;
  return (
    <div className="card">
      {signedOut ? (
        <p role="status" className="notice ok" data-signed-out>
          You are signed out.
        </p>
      ) : null}
      <h1>Sign in</h1>
      {target ? <p className="muted">After signing in, you go on to {describeAction(target)}.</p> : null}
      <LoginForm next={target} initialMode={mode === "password" ? "password" : "link"} />
    </div>
  );
}
