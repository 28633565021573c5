import type { Metadata } from "next";

import { UID_PATTERN } from "@/lib/oidc/pending";

import { GoOn } from "./go-on";

export const metadata: Metadata = { title: "Back to the app", referrer: "no-referrer" };

/**
 * The consent form's answer: a page of this site, reached by the form's own
 * redirect, that goes on to the provider and the app by a navigation of its
 * own (a refresh, or the script, or the link) — CSP form-action would stop
 * the form's redirect chain at the app's origin.
 */
export default async function ContinuePage({ params, searchParams }: { params: Promise<{ uid: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { uid } = await params;
  const { denied } = await searchParams;
  if (!UID_PATTERN.test(uid)) return <div className="card"><h1>This sign-in request has ended</h1></div>;
  const href = `/oidc/interaction/${uid}${denied ? "/abort" : ""}`;
  return (
    <div className="card" data-consent-continue>
      <meta httpEquiv="refresh" content={`0;url=${href}`} />
      <h1>{denied ? "Going back to the app" : "Signing you in to the app"}</h1>
      <p>
        <a className="button" href={href}>
          Continue
        </a>
      </p>
      <GoOn href={href} />
    </div>
  );
}
