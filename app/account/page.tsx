import type { Metadata } from "next";

import { db } from "@/lib/server/db";
import { currentSessionHash, requireUser } from "@/lib/server/session";
import { tickets } from "@/lib/server/tickets";

import { formatWhen } from "../ticket/[id]/problem";
import { reportTicketAction, revokeOtherSessionsAction, revokeSessionAction, signOutAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

const EVENT_WORDS: Record<string, string> = {
  issued: "Requested",
  opened: "Opened without signing in",
  used: "Used to sign in",
  refused: "Refused",
  expired: "Expired",
  revoked: "Cancelled",
  superseded: "Replaced by a newer link",
};

export default async function AccountPage() {
  const user = await requireUser("account");
  const [sessions, current, history] = await Promise.all([
    db().session.findMany({ where: { userId: user.id, expires: { gt: new Date() } }, orderBy: { createdAt: "desc" } }),
    currentSessionHash(),
    tickets().list({ email: user.email }, { limit: 10 }),
  ]);
  const detailed = await Promise.all(history.items.map((t) => tickets().get(t.id)));

  return (
    <>
      <div className="card">
        <h1>Your account</h1>
        <p className="lead">
          Signed in as <strong>{user.email}</strong>
        </p>
        <form action={signOutAction}>
          <button type="submit" className="button secondary">
            Sign out
          </button>
        </form>
      </div>

      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">Where you are signed in</h2>
        <ul className="rows">
          {sessions.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.sessionToken === current ? "This browser" : (s.userAgent ?? "Unknown browser")}</strong>
                <div className="muted small">
                  Since {formatWhen(s.createdAt)}
                  {s.ipAddress ? ` from ${s.ipAddress}` : ""}
                </div>
              </div>
              {s.sessionToken === current ? null : (
                <form action={revokeSessionAction.bind(null, s.id)}>
                  <button type="submit" className="button secondary small">
                    Sign out there
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
        {sessions.length > 1 ? (
          <form action={revokeOtherSessionsAction}>
            <button type="submit" className="button secondary">
              Sign out everywhere else
            </button>
          </form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="history">
        <h2 id="history">Sign-in links for your address</h2>
        {detailed.length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="rows history">
          {detailed.map((entry) =>
            entry ? (
              <li key={entry.ticket.id} data-ticket-status={entry.ticket.status}>
                <div>
                  <strong>
                    {entry.ticket.type === "login" ? "Sign-in link" : entry.ticket.type} · <span className={`badge ${entry.ticket.status}`}>{entry.ticket.status}</span>
                  </strong>
                  <ol className="events">
                    {entry.events.map((e) => (
                      <li key={e.id}>
                        {EVENT_WORDS[e.kind] ?? e.kind} · {formatWhen(e.at)}
                        {e.ip ? ` · ${e.ip}` : ""}
                        {e.userAgent ? ` · ${e.userAgent.slice(0, 60)}` : ""}
                      </li>
                    ))}
                  </ol>
                </div>
                {entry.ticket.status === "open" ? (
                  <form action={reportTicketAction.bind(null, entry.ticket.id)}>
                    <button type="submit" className="button secondary small">
                      This wasn&apos;t me — cancel it
                    </button>
                  </form>
                ) : null}
              </li>
            ) : null,
          )}
        </ul>
      </section>
    </>
  );
}
