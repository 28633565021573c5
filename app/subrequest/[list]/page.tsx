import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { actionPaths } from "@/lib/action-paths";
import { requireUser } from "@/lib/sessions/session.server";
import { formatWhen } from "@/lib/format";
import { runtime } from "@/lib/runtime";
import { subscriptionOf } from "@/lib/subscriptions";

import { requestSubscriptionAction } from "./actions";
import { Address } from "@/app/_components/address";

export const metadata: Metadata = { title: "Join a list" };
export const dynamic = "force-dynamic";

/** The `subrequest/<list>` action: ask to join a mailing list. */
export default async function SubscriptionRequestPage({ params }: { params: Promise<{ list: string }> }) {
  const { list } = await params;
  if (!actionPaths.check(`subrequest/${list}`).ok) notFound();
  const user = await requireUser(`subrequest/${list}`);
  const request = await subscriptionOf(runtime().db, user.id, list);

  return (
    <div className="card">
      <h1>
        Join the list <code>{list}</code>
      </h1>
      {request ? (
        <p className="notice ok" role="status" data-subscription-state={request.state}>
          Your request to join <strong>{list}</strong> is {request.state}, sent {formatWhen(request.createdAt)}.
        </p>
      ) : (
        <>
          <p className="lead">
            You are signed in as{" "}
            <strong>
              <Address email={user.email} />
            </strong>
            . Ask the list owners to add this address to <strong>{list}</strong>.
          </p>
          <form action={requestSubscriptionAction}>
            <input type="hidden" name="list" value={list} />
            <button type="submit" className="button">
              Request subscription
            </button>
          </form>
        </>
      )}
    </div>
  );
}
