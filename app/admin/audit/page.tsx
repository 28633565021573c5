import Link from "next/link";

import { describeUserAgent } from "@/lib/http/user-agent";
import { auditActionLabel, auditTargetLabel, listAudit } from "@/lib/admin/audit";
import { formatStamp } from "@/lib/format";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { listQuerySchema, parseQuery } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";

import { NEWEST_FIRST, Pager } from "@/app/admin/_components/pager";

export const generateMetadata = adminPageMetadata("Audit log");
export const dynamic = "force-dynamic";

function targetLink(type: string, id: string | null) {
  if (!id) return null;
  if (type === "ticket") return `/admin/tickets/${id}`;
  if (type === "user") return `/admin/users/${id}`;
  return null;
}

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("admin/audit");
  const { values } = parseQuery(listQuerySchema, await searchParams);
  const page = await listAudit(runtime().db, { cursor: values.cursor, limit: 50 });

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Audit log</h1>
          <p>Every administrator action, newest first.</p>
        </div>
      </div>
      <section className="panel flush" aria-label="Audit events">
        {page.items.length === 0 ? (
          <p className="empty">Nothing yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>When (UTC)</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>Detail</th>
                  <th>From</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((a) => {
                  const href = targetLink(a.targetType, a.targetId);
                  return (
                    <tr key={a.id} data-action={a.action}>
                      <td className="nowrap">{formatStamp(a.at)}</td>
                      <td className="nowrap">{a.actorEmail}</td>
                      <td className="nowrap">{auditActionLabel(a.action)}</td>
                      <td className="nowrap">{href ? <Link href={href}>{auditTargetLabel(a.targetType)}</Link> : auditTargetLabel(a.targetType)}</td>
                      <td className="text">{a.detail ?? ""}</td>
                      <td>
                        {a.ip ?? "—"}
                        {a.userAgent ? <span className="sub nowrap" title={a.userAgent}>{describeUserAgent(a.userAgent)}</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager shown={page.items.length} first={values.cursor ? "/admin/audit" : null} next={page.nextCursor ? `/admin/audit?cursor=${page.nextCursor}` : null} labels={NEWEST_FIRST} />
      </section>
    </>
  );
}
