import type { Metadata } from "next";

import { Address } from "@/app/_components/address";
import { SCOPE_WORDS } from "@/lib/oidc/consents";
import { interactionActionPathFor } from "@/lib/oidc/paths";
import { UID_PATTERN, pendingSignIn } from "@/lib/oidc/pending";
import { runtime } from "@/lib/runtime";
import { requireUser } from "@/lib/sessions/session.server";

import { consentAction } from "./actions";

export const metadata: Metadata = { title: "Allow an app", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Asked the first time a person signs in to an app through Ticketgate (and when it asks for more). */
export default async function ConsentPage({ params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const pending = UID_PATTERN.test(uid) ? await pendingSignIn(runtime().db, uid) : null;
  if (!pending) {
    return (
      <div className="card" data-consent-ended>
        <h1>This sign-in request has ended</h1>
        <p>The app&apos;s request expired or was already answered. Go back to the app and sign in again.</p>
      </div>
    );
  }
  const user = await requireUser(interactionActionPathFor(uid));
  return (
    <div className="card" data-consent>
      <h1>Sign in to {pending.clientName}?</h1>
      <p className="lead">{pending.clientName} asks to sign you in with your Ticketgate account.</p>
      <p>
        You are signed in as{" "}
        <strong>
          <Address email={user.email} />
        </strong>
      </p>
      <p>It will be able to:</p>
      <ul>
        {pending.scopes.map((scope) => (
          <li key={scope}>{SCOPE_WORDS[scope]}</li>
        ))}
      </ul>
      <p className="muted">Ticketgate remembers your answer. You can withdraw it on your account page under &ldquo;Apps you signed in to&rdquo;.</p>
      <form action={consentAction} className="actions">
        <input type="hidden" name="uid" value={uid} />
        <button type="submit" name="decision" value="allow" className="button">
          Allow
        </button>
        <button type="submit" name="decision" value="deny" className="button secondary">
          Don&apos;t allow
        </button>
      </form>
    </div>
  );
}
