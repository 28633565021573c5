import Link from "next/link";
import { notFound } from "next/navigation";

import { adminSource } from "@/lib/admin/access";
import { formatDate, plural } from "@/lib/format";
import { userDetail } from "@/lib/admin/queries";
import { env } from "@/lib/env";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { systemClock } from "@/lib/tickets";
import { idSchema } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";
import { purposeLabel } from "@/lib/tickets/kinds";
import { STATE_LABELS } from "@/lib/tickets/outcomes";

import { AdminForm } from "@/app/admin/_components/admin-form";
import { SessionTable } from "@/app/admin/_components/session-table";

export const generateMetadata = adminPageMetadata("User");
export const dynamic = "force-dynamic";

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await requireAdmin(`admin/users/${id}`);
  if (!idSchema.safeParse(id).success) notFound();
  const detail = await userDetail(runtime().db, systemClock, id);
  if (!detail) notFound();
  const { user, sessions } = detail;
  const history = await runtime().tickets.list({ email: user.email }, { limit: 20 });
  const source = adminSource(user, env().ADMIN_EMAILS);
  const self = user.id === me.id;

  return (
    <>
      <p className="crumbs">
        <Link href="/admin/users">← Users</Link>
      </p>
      <div className="admin-head">
        <div>
          <h1>{user.email}</h1>
          <p>
            {source ? <span className="badge admin">admin · {source === "configuration" ? "from configuration" : "by role"}</span> : <span className="badge">user</span>}{" "}
            {user.disabled ? <span className="badge disabled" data-testid="user-disabled">disabled</span> : null} · account since {formatDate(user.createdAt)} UTC
          </p>
        </div>
      </div>

      <div className="split">
        <section className="panel" aria-labelledby="access">
          <h2 id="access">Access</h2>
          {user.disabled ? (
            <>
              <p className="small muted">Disabled: this address cannot sign in or get links.</p>
              <AdminForm kind="setDisabled" hidden={{ userId: user.id, disabled: "false" }} submit="Enable account" variant="secondary" />
            </>
          ) : self ? (
            <p className="small muted">This is you: you cannot disable your own account.</p>
          ) : (
            <>
              <p className="small muted">Disabling ends {plural(sessions.length, "session")} and cancels every open link for this address at once.</p>
              <AdminForm kind="setDisabled" hidden={{ userId: user.id, disabled: "true" }} submit="Disable account" variant="danger" confirm={`Disable ${user.email}, end its sessions and cancel its open links?`} />
            </>
          )}
        </section>
        <section className="panel" aria-labelledby="role">
          <h2 id="role">Administrator role</h2>
          {source === "configuration" ? (
            <p className="small muted">Administrator from configuration (ADMIN_EMAILS); it cannot be removed here.</p>
          ) : source === "role" ? (
            self ? (
              <p className="small muted">You are an administrator by role; another administrator can remove it.</p>
            ) : (
              <AdminForm kind="removeAdmin" hidden={{ userId: user.id }} variant="secondary-danger" />
            )
          ) : (
            <AdminForm kind="grantAdmin" defaults={{ email: user.email }} submit="Make administrator" variant="secondary" />
          )}
        </section>
      </div>

      <section className="panel flush" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        {sessions.length === 0 ? (
          <p className="empty">No live sessions.</p>
        ) : (
          <SessionTable sessions={sessions} />
        )}
      </section>

      <section className="panel flush" aria-labelledby="tickets">
        <h2 id="tickets">Latest tickets for this address</h2>
        {history.items.length === 0 ? (
          <p className="empty">None.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>Type</th>
                  <th>State</th>
                  <th>Created</th>
                  <th>Requested from</th>
                  <th>Last used</th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link href={`/admin/tickets/${t.id}`}>{purposeLabel(t.type)}</Link>
                    </td>
                    <td>
                      <span className={`badge ${t.status}`}>{STATE_LABELS[t.status]}</span>
                    </td>
                    <td className="nowrap">{formatDate(t.createdAt)}</td>
                    <td className="nowrap">{t.requestedFromIp ?? "—"}</td>
                    <td className="nowrap">{t.lastUsedAt ? `${formatDate(t.lastUsedAt)} · ${t.lastUsedIp ?? ""}` : "never"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="pager">
          <Link href={`/admin/tickets?email=${encodeURIComponent(user.email)}`}>All tickets for {user.email} →</Link>
        </div>
      </section>
    </>
  );
}
