import Link from "next/link";
import type { Metadata } from "next";

import { listApiTokens } from "@/lib/account/api-tokens";
import { accountConfirmation } from "@/lib/account/confirmations";
import { RECENT_LINKS, accountHistory, foldedHistory } from "@/lib/account/history";
import { pendingEmailChange } from "@/lib/account/email-change";
import { hasPassword } from "@/lib/account/passwords";
import { isAdmin } from "@/lib/admin/admin.server";
import { currentSessionHash, requireUser } from "@/lib/sessions/session.server";
import { listUserSessions } from "@/lib/sessions/sessions";
import { env } from "@/lib/env";
import { formatWhen, sentenceCase } from "@/lib/format";
import { describeUserAgent } from "@/lib/http/user-agent";
import { listConsentedApps } from "@/lib/oidc/consents";
import { runtime } from "@/lib/runtime";
import { numberForTicket } from "@/lib/sign-in/asking.server";
import { purposeLabel } from "@/lib/tickets/kinds";
import { STATE_LABELS, eventLabel } from "@/lib/tickets/outcomes";

import { reportTicketAction, revokeApiTokenAction, revokeAppAction, revokeOtherSessionsAction, revokeSessionAction, withdrawEmailChangeAction } from "./actions";
import { ApiTokenForm, EmailChangeRequestForm, PasswordForm } from "./forms";
import { ApprovalPanel } from "@/app/_components/approval-panel";
import { Address } from "@/app/_components/address";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("account");
  const query = await searchParams;
  const [sessions, current, history, passwordSet, pending, apiTokens, admin, apps] = await Promise.all([
    listUserSessions(runtime().db, user.id, new Date()),
    currentSessionHash(),
    accountHistory(runtime().tickets, user).then((items) => ({ items })),
    hasPassword({ db: runtime().db }, user.id),
    pendingEmailChange({ tickets: runtime().tickets }, user.id),
    listApiTokens(runtime().db, user.id),
    isAdmin(),
    listConsentedApps(runtime().db, user.id),
  ]);
  // A pending change's confirmation link is bound to this browser: the number for another device.
  const changeNumber = pending ? await numberForTicket(pending.ticketId) : null;
  const detailed = (await Promise.all(history.items.map((t) => runtime().tickets.get(t.id)))).filter((entry) => entry !== null);
  const [recent, older] = [detailed.slice(0, RECENT_LINKS), detailed.slice(RECENT_LINKS)];

  return (
    <>
      <div className="card">
        <h1>Your account</h1>
        {query.password === "reset" ? (
          <p role="status" className="notice ok">
            Your new password is set. Every other session was signed out.
          </p>
        ) : query.welcome ? (
          <p role="status" className="notice ok">
            Your account is ready.
          </p>
        ) : accountConfirmation(query.done) ? (
          <p role="status" className="notice ok" data-done={String(query.done)}>
            {accountConfirmation(query.done)}
          </p>
        ) : null}
        <p className="lead">
          Signed in as{" "}
          <strong>
            <Address email={user.email} />
          </strong>
        </p>
        {admin ? (
          <p>
            <Link href="/admin">Open the admin console</Link>
          </p>
        ) : null}
      </div>

      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">Where you are signed in</h2>
        <ul className="rows">
          {sessions.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.sessionToken === current ? "This browser" : sentenceCase(describeUserAgent(s.userAgent))}</strong>
                <div className="muted small">
                  Since {formatWhen(s.createdAt)}
                  {s.ipAddress ? ` from ${s.ipAddress}` : ""}
                </div>
              </div>
              {s.sessionToken === current ? null : (
                <form action={revokeSessionAction}>
                  <input type="hidden" name="id" value={s.id} />
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

      {apps.length > 0 ? (
        <section className="card" aria-labelledby="apps" data-apps>
          <h2 id="apps">Apps you signed in to</h2>
          <p className="muted">These apps sign you in with your Ticketgate account. Removing one ends its access; next time it asks again.</p>
          <ul className="rows">
            {apps.map((app) => (
              <li key={app.clientId}>
                <div>
                  <strong>{app.name}</strong>
                  <div className="muted small">Since {formatWhen(app.since)}</div>
                </div>
                <form action={revokeAppAction}>
                  <input type="hidden" name="id" value={app.clientId} />
                  <button type="submit" className="button secondary small" aria-label={`Remove ${app.name}`}>
                    Remove
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="password">
        <h2 id="password">Password</h2>
        <p className="muted">
          {passwordSet
            ? "You can sign in with your password or with a mailed link. Changing it signs you out everywhere else."
            : "Optional: set a password to sign in without waiting for a mail. Mailed links keep working."}
        </p>
        <PasswordForm hasPassword={passwordSet} email={user.email} />
      </section>

      <section className="card" aria-labelledby="address">
        <h2 id="address">E-mail address</h2>
        {pending ? (
          <div data-pending-email-change>
            <p>
              Waiting for confirmation from{" "}
              <strong>
                <Address email={pending.newEmail} />
              </strong>
              {pending.expiresAt ? <> until {formatWhen(pending.expiresAt)}</> : null}. Your address stays{" "}
              <strong>
                <Address email={user.email} />
              </strong>{" "}
              until then.
            </p>
            <form action={withdrawEmailChangeAction}>
              <button type="submit" className="button secondary">
                Withdraw the change
              </button>
            </form>
            {changeNumber ? <ApprovalPanel number={changeNumber} kind="email_change_new" /> : null}
          </div>
        ) : (
          <>
            <p className="muted">We mail a link to the new address; the change happens when it is pressed. Your current address gets a link to cancel it.</p>
            {env().ADMIN_EMAILS.includes(user.email) ? (
              <p className="notice warn" data-admin-by-address>
                This address is an administrator by this installation&apos;s configuration (<code>ADMIN_EMAILS</code>). The role goes with the address: after a change, the new
                address is not an administrator unless it is added there too.
              </p>
            ) : null}
            <EmailChangeRequestForm />
          </>
        )}
      </section>

      <section className="card" aria-labelledby="api-tokens">
        <h2 id="api-tokens">Personal API tokens</h2>
        <p className="muted">For scripts acting as you. A token is shown once when created; only its fingerprint is kept.</p>
        {apiTokens.length ? (
          <ul className="rows">
            {apiTokens.map((token) => (
              <li key={token.id} data-api-token="live">
                <div>
                  <strong>{token.name}</strong> <code>{token.prefix}…</code>
                  <div className="muted small">
                    Created {formatWhen(token.createdAt)} · {token.lastUsedAt ? `last used ${formatWhen(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}` : "never used"}
                  </div>
                </div>
                <form action={revokeApiTokenAction}>
                  <input type="hidden" name="id" value={token.id} />
                  <button type="submit" className="button secondary small">
                    Revoke
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : null}
        <ApiTokenForm />
      </section>

      <section className="card" aria-labelledby="history">
        <h2 id="history">Links mailed to your address</h2>
        {detailed.length === 0 ? <p className="muted">None yet.</p> : null}
        <HistoryList entries={recent} />
        {older.length > 0 ? (
          <details className="older-history">
            <summary>Older links ({older.length})</summary>
            <HistoryList entries={older} />
          </details>
        ) : null}
      </section>
    </>
  );
}

type HistoryEntry = NonNullable<Awaited<ReturnType<ReturnType<typeof runtime>["tickets"]["get"]>>>;

/** Links and what happened to each, in plain words; the asker's looks before a use are folded into it. */
function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  return (
    <ul className="rows history">
      {entries.map((entry) => (
        <li key={entry.ticket.id} data-ticket-status={entry.ticket.status}>
          <div>
            <strong>
              {purposeLabel(entry.ticket.type)} · <span className={`badge ${entry.ticket.status}`}>{STATE_LABELS[entry.ticket.status]}</span>
            </strong>
            <ol className="events">
              {foldedHistory(entry.events).map((e) => (
                <li key={e.id}>
                  {eventLabel(e.kind, entry.ticket.type, "person")} · {formatWhen(e.at)}
                  {e.ip ? ` · ${e.ip}` : ""}
                  {e.userAgent ? ` · ${describeUserAgent(e.userAgent)}` : ""}
                </li>
              ))}
            </ol>
          </div>
          {entry.ticket.status === "open" ? (
            <form action={reportTicketAction}>
              <input type="hidden" name="id" value={entry.ticket.id} />
              <button type="submit" className="button secondary small">
                This wasn&apos;t me — cancel it
              </button>
            </form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
