import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { describeUserAgent } from "@/lib/http/user-agent";
import { formatDateSeconds, formatStamp, sentenceCase } from "@/lib/format";
import { describeAction } from "@/lib/action-paths";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { ticketDetail } from "@/lib/admin/queries";
import { idSchema } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";
import { eventLabel } from "@/lib/tickets/outcomes";
import { purposeLabel } from "@/lib/tickets/kinds";
import { STATE_LABELS } from "@/lib/tickets/outcomes";

import { AdminForm } from "@/app/admin/_components/admin-form";

export const generateMetadata = adminPageMetadata("Ticket");
export const dynamic = "force-dynamic";

export default async function AdminTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`admin/tickets/${id}`);
  if (!idSchema.safeParse(id).success) notFound();
  const found = await ticketDetail(runtime().db, runtime().tickets, id);
  if (!found) notFound();
  const { ticket: t, events, project, user } = found;

  const facts: [string, ReactNode][] = [
    ["Id", <span key="id" className="mono">{t.id}</span>],
    ["Hash prefix", <span key="hash" className="mono">{t.hashPrefix}…</span>],
    ["Type", purposeLabel(t.type)],
    ["State", <span key="state" className={`badge ${t.status}`}>{STATE_LABELS[t.status]}</span>],
    ...(t.reason ? ([["Reason", t.reason]] as [string, ReactNode][]) : []),
    ["E-mail", t.email ?? "—"],
    ["User", user ? <Link key="user" href={`/admin/users/${user.id}`}>{user.email}</Link> : "—"],
    ["API project", project ? project.name : "—"],
    ["Domain", t.domain],
    ["Leads to", t.data ? <span key="data" title={t.data}>{sentenceCase(describeAction(t.data) ?? t.data)}</span> : "—"],
    ["Payload", t.payload === null ? "—" : <span key="payload" className="mono">{JSON.stringify(t.payload)}</span>],
    ["Uses", `${t.useCount} used, ${t.usesLeft ?? "unlimited"} left of ${t.maxUses ?? "unlimited"}`],
    ["Opened without use", String(t.openCount)],
    ["Created", formatDateSeconds(t.createdAt)],
    ["Expires", formatDateSeconds(t.expiresAt, "never")],
    ["Requested from", [t.requestedFromIp, t.requestedFromUa && describeUserAgent(t.requestedFromUa)].filter(Boolean).join(" · ") || "—"],
    ["Last used", t.lastUsedAt ? `${formatDateSeconds(t.lastUsedAt)}${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ""}${t.lastUsedUa ? ` · ${describeUserAgent(t.lastUsedUa)}` : ""}` : "never"],
    ["Ended", formatDateSeconds(t.endedAt)],
    ...(t.supersededById ? ([["Replaced by", <Link key="sup" href={`/admin/tickets/${t.supersededById}`}>the newer ticket</Link>]] as [string, ReactNode][]) : []),
  ];

  return (
    <>
      <p className="crumbs">
        <Link href="/admin/tickets">← Tickets</Link>
      </p>
      <div className="admin-head">
        <div>
          <h1>
            {purposeLabel(t.type)} {t.email ? `for ${t.email}` : ""}
          </h1>
          <p>
            <span className={`badge ${t.status}`} data-testid="ticket-state">
              {STATE_LABELS[t.status]}
            </span>{" "}
            · hash {t.hashPrefix}…
          </p>
        </div>
      </div>

      <div className="split">
        <section className="panel" aria-labelledby="fields">
          <h2 id="fields">Fields</h2>
          <dl className="facts">
            {facts.map(([label, value]) => (
              <div key={label} style={{ display: "contents" }}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="panel" aria-labelledby="cancel">
          <h2 id="cancel">Cancel</h2>
          <p className="small muted">
            {t.status === "open"
              ? t.email
                ? `The link stops working at once, and ${t.email} is mailed your reason.`
                : "The ticket stops working at once. (API ticket: nobody is mailed.)"
              : `This ticket is ${STATE_LABELS[t.status].toLowerCase()}; only open tickets can be cancelled.`}
          </p>
          {/* Kept mounted after the ticket closes, so the answer to the cancel stays on screen. */}
          <AdminForm kind="cancelTicket" hidden={{ ticketId: t.id }} variant="danger" closed={t.status !== "open"} />
        </section>
      </div>

      <section className="panel flush" aria-labelledby="history">
        <h2 id="history">History</h2>
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>What</th>
                <th>From</th>
                <th>Browser</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-event={e.kind}>
                  <td className="nowrap">{formatStamp(e.at)}</td>
                  <td className="nowrap">{eventLabel(e.kind, t.type, "admin")}</td>
                  <td className="nowrap">{e.ip ?? "—"}</td>
                  <td>{e.userAgent ? <span title={e.userAgent}>{describeUserAgent(e.userAgent)}</span> : "—"}</td>
                  <td className="text">{e.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
