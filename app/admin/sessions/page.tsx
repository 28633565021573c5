import type { Metadata } from "next";
import Link from "next/link";

import { formatDate } from "@/lib/admin/format";
import { listSessions } from "@/lib/admin/queries";
import { db } from "@/lib/server/db";
import { requireAdmin } from "@/lib/server/admin";
import { systemClock } from "@/lib/tickets";
import { listQuerySchema, parseQuery } from "@/lib/validation/admin";

import { AdminForm } from "../admin-form";

export const metadata: Metadata = { title: "Sessions" };
export const dynamic = "force-dynamic";

export default async function AdminSessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("admin/sessions");
  const { values } = parseQuery(listQuerySchema, await searchParams);
  const page = await listSessions(db(), systemClock, { cursor: values.cursor, limit: 50 });

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Sessions</h1>
          <p>Every live session, newest first. Signing one out deletes it: that browser is signed out at its next request.</p>
        </div>
      </div>
      <section className="panel flush" aria-label="Sessions">
        {page.items.length === 0 ? (
          <p className="empty">No live sessions.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Opened</th>
                  <th>From</th>
                  <th>Browser</th>
                  <th>Ends</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link href={`/admin/users/${s.user.id}`}>{s.user.email}</Link>
                    </td>
                    <td className="nowrap">{formatDate(s.createdAt)}</td>
                    <td className="nowrap">{s.ipAddress ?? "—"}</td>
                    <td>{s.userAgent ? <span className="sub" title={s.userAgent}>{s.userAgent}</span> : "—"}</td>
                    <td className="nowrap">{formatDate(s.expires)}</td>
                    <td>
                      <AdminForm kind="revokeSession" hidden={{ sessionId: s.id }} submit="Sign out" variant="secondary" compact />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="pager">
          <span>{page.items.length} shown</span>
          <span>
            {values.cursor ? <Link href="/admin/sessions">← First page</Link> : null}
            {values.cursor && page.nextCursor ? " · " : null}
            {page.nextCursor ? <Link href={`/admin/sessions?cursor=${page.nextCursor}`}>Next page →</Link> : null}
          </span>
        </div>
      </section>
    </>
  );
}
