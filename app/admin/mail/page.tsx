import Link from "next/link";

import { formatStamp, formatNumber, waitText } from "@/lib/format";
import { MAIL_STATES, type MailState, listMail, mailOverview } from "@/lib/admin/mail";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { runtime } from "@/lib/runtime";

import { NEWEST_FIRST, Pager } from "@/app/admin/_components/pager";

export const generateMetadata = adminPageMetadata("Mail");
export const dynamic = "force-dynamic";

const LABELS: Record<MailState, string> = { pending: "Waiting", sending: "Being sent", sent: "Sent", failed: "Failed for good" };

/** Each mail by what it is to the person who gets it (the stored name is its module in emails/). */
const MAIL_NAMES: Record<string, string> = {
  "login-link": "Sign-in link",
  "password-reset": "Password reset link",
  "new-account": "New account link",
  "account-exists": "You already have an account",
  "email-change-new": "Confirm the new address",
  "email-change-old": "Address being changed",
  "email-change-taken": "Address already in use",
  "password-changed": "Password changed",
  "ticket-cancelled": "Link cancelled",
};

export default async function AdminMailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("admin/mail");
  const query = await searchParams;
  const state: MailState = typeof query.state === "string" && (MAIL_STATES as readonly string[]).includes(query.state) ? (query.state as MailState) : "failed";
  const cursor = typeof query.cursor === "string" ? query.cursor : null;
  const [overview, page] = await Promise.all([mailOverview(runtime().db, runtime().engine), listMail(runtime().db, state, { cursor, limit: 50 })]);

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Mail</h1>
          <p>
            The outbox: every mail is queued here and delivered by a worker in each app process, with retries. Mail that failed 8 times is kept here, without its
            body, until clean-up.
          </p>
        </div>
      </div>
      <div className="stat-grid" data-testid="mail-counts">
        {MAIL_STATES.map((s) => (
          <Link key={s} className="stat" href={`/admin/mail?state=${s}`} data-state={s} aria-current={s === state ? "page" : undefined}>
            <span className="stat-label">{LABELS[s]}</span>
            <span className="stat-value">{formatNumber(overview.counts[s])}</span>
          </Link>
        ))}
      </div>
      <p className="muted" data-testid="mail-due">
        {overview.due === 0
          ? "Nothing is waiting to go out."
          : `${formatNumber(overview.due)} due now; the oldest has waited ${waitText(overview.oldestDueSeconds ?? 0)}. If this keeps growing, check SMTP_URL and the relay.`}
      </p>
      <section className="panel flush" aria-label={LABELS[state]}>
        <h2>{LABELS[state]}</h2>
        {page.items.length === 0 ? (
          <p className="empty">None.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>Changed (UTC)</th>
                  <th>To</th>
                  <th>Mail</th>
                  <th>Attempts</th>
                  <th>{state === "sent" ? "Sent (UTC)" : "Next attempt (UTC)"}</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => (
                  <tr key={m.id} data-mail={m.state}>
                    <td className="nowrap">{formatStamp(m.updatedAt)}</td>
                    <td className="nowrap">{m.recipient}</td>
                    <td className="nowrap" data-template={m.template}>
                      {MAIL_NAMES[m.template] ?? m.template}
                    </td>
                    <td>{m.attempts}</td>
                    <td className="nowrap">{formatStamp(state === "sent" ? m.sentAt : m.state === "failed" ? null : m.nextAttemptAt)}</td>
                    <td className="text">{m.lastError ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager shown={page.items.length} first={cursor ? `/admin/mail?state=${state}` : null} next={page.nextCursor ? `/admin/mail?state=${state}&cursor=${page.nextCursor}` : null} labels={NEWEST_FIRST} />
      </section>
    </>
  );
}
