import Link from "next/link";

import { formatDate, formatNumber, formatSeconds, noun } from "@/lib/format";
import { listProjects } from "@/lib/admin/queries";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { runtime } from "@/lib/runtime";

import { AdminForm } from "@/app/admin/_components/admin-form";

export const generateMetadata = adminPageMetadata("API projects");
export const dynamic = "force-dynamic";

export default async function AdminProjectsPage() {
  await requireAdmin("admin/projects");
  const projects = await listProjects(runtime().db, runtime().tickets);

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>API projects</h1>
          <p>
            Systems that use the <code>/v1/tickets</code> API, each with its keys and limits. Changes reach running instances within a few seconds.
          </p>
        </div>
      </div>

      <section className="panel" aria-labelledby="new-project">
        <h2 id="new-project">New project</h2>
        <AdminForm kind="createProject" defaults={{ name: "", maxLiveTickets: "100000", maxPayloadBytes: "4096", defaultTtl: "60" }} />
      </section>

      {projects.length === 0 ? <p className="panel empty">No projects yet.</p> : null}
      {projects.map((p) => (
        <section key={p.id} className="panel project" aria-labelledby={`p-${p.id}`} data-project={p.name}>
          <div className="admin-head">
            <div>
              <h2 id={`p-${p.id}`} style={{ margin: 0 }}>
                {p.name} {p.disabled ? <span className="badge disabled">disabled</span> : null}
              </h2>
              <div className="usage">
                <span>
                  <strong>{formatNumber(p.usage.live)}</strong> live of {formatNumber(p.maxLiveTickets)}
                </span>
                <span>
                  <strong>{formatNumber(p.usage.total)}</strong> {noun(p.usage.total, "ticket")} kept
                </span>
                <span>
                  default ttl <strong>{formatSeconds(p.defaultTtl)}</strong>
                </span>
                <span>last key use {p.usage.lastKeyUse ? <strong>{formatDate(p.usage.lastKeyUse)} UTC</strong> : <strong>never</strong>}</span>
                <Link href={`/admin/tickets?project=${p.id}`}>Tickets →</Link>
              </div>
            </div>
          </div>
          <AdminForm
            kind="updateProject"
            hidden={{ projectId: p.id }}
            defaults={{ maxLiveTickets: String(p.maxLiveTickets), maxPayloadBytes: String(p.maxPayloadBytes), defaultTtl: String(p.defaultTtl), disabled: p.disabled }}
            variant="secondary"
          />
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Name</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Status</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {p.keys.map((k) => (
                  <tr key={k.id}>
                    <td className="mono nowrap">{k.prefix}…</td>
                    <td>{k.name ?? "—"}</td>
                    <td className="nowrap">{formatDate(k.createdAt)}</td>
                    <td className="nowrap">{formatDate(k.lastUsedAt, "never")}</td>
                    <td>{k.revokedAt ? <span className="badge revoked">revoked {formatDate(k.revokedAt)}</span> : <span className="badge closed">active</span>}</td>
                    <td>{k.revokedAt ? null : <AdminForm kind="revokeKey" hidden={{ keyId: k.id }} variant="secondary-danger" compact confirm={`Revoke key ${k.prefix}…? Requests with it will be refused.`} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <AdminForm kind="createKey" hidden={{ projectId: p.id }} defaults={{ name: "" }} variant="secondary" />
        </section>
      ))}
    </>
  );
}
