import Link from "next/link";

import { describeUserAgent } from "@/lib/http/user-agent";
import { formatShortDate, formatTime, sentenceCase } from "@/lib/format";
import { describeAction } from "@/lib/action-paths";
import { ticketFilterFrom } from "@/lib/admin/tickets";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { projectNames } from "@/lib/admin/queries";
import { TICKET_STATES, TICKET_TYPES } from "@/lib/tickets";
import { parseQuery, ticketQuerySchema } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";
import { purposeLabel } from "@/lib/tickets/kinds";
import { STATE_LABELS } from "@/lib/tickets/outcomes";

import { Pager } from "@/app/admin/_components/pager";
import { Address } from "@/app/_components/address";

export const generateMetadata = adminPageMetadata("Tickets");
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;
type Search = Record<string, string | string[] | undefined>;

const sameDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

/** The same filters with another cursor (or none), for the pager links. */
function withCursor(values: Record<string, unknown>, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (key !== "cursor" && typeof value === "string" && value) params.set(key, value);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/admin/tickets?${query}` : "/admin/tickets";
}

export default async function AdminTicketsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireAdmin("admin/tickets");
  const params = await searchParams;
  const { values, errors } = parseQuery(ticketQuerySchema, params);
  const [page, projects] = await Promise.all([
    runtime().tickets.list(ticketFilterFrom(values), { limit: PAGE_SIZE, cursor: values.cursor ?? null }),
    projectNames(runtime().db),
  ]);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  // What the form shows: what was typed (even when refused), so nothing is lost.
  const shown = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");
  const filtered = Object.keys(values).some((key) => key !== "cursor");

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Tickets</h1>
          <p>Newest first, times in UTC. The ticket itself is never shown: only the first characters of its hash.</p>
        </div>
      </div>

      <form className="panel" method="get" action="/admin/tickets" role="search" aria-label="Filter tickets">
        <div className="filters">
          <div className="field">
            <label htmlFor="f-q">Address contains</label>
            <input id="f-q" name="q" type="search" defaultValue={shown("q")} placeholder="ada@ or example.org" aria-invalid={errors.q ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="f-email">Exact address</label>
            <input id="f-email" name="email" type="text" defaultValue={shown("email")} placeholder="name@example.com" aria-invalid={errors.email ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="f-state">State</label>
            <select id="f-state" name="state" defaultValue={shown("state")}>
              <option value="">Any</option>
              {TICKET_STATES.map((s) => (
                <option key={s} value={s}>
                  {STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-type">Type</label>
            <select id="f-type" name="type" defaultValue={shown("type")}>
              <option value="">Any</option>
              {TICKET_TYPES.map((t) => (
                <option key={t} value={t}>
                  {purposeLabel(t)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-domain">Domain</label>
            <input id="f-domain" name="domain" type="text" defaultValue={shown("domain")} aria-invalid={errors.domain ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="f-project">API project</label>
            <select id="f-project" name="project" defaultValue={shown("project")}>
              <option value="">Any</option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-from">Created from</label>
            <input id="f-from" name="from" type="date" defaultValue={shown("from")} aria-invalid={errors.from ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="f-to">Created to</label>
            <input id="f-to" name="to" type="date" defaultValue={shown("to")} aria-invalid={errors.to ? true : undefined} />
          </div>
          <div className="actions">
            <button type="submit" className="button small">
              Filter
            </button>
            {filtered ? (
              <Link href="/admin/tickets" className="small">
                Clear
              </Link>
            ) : null}
          </div>
        </div>
        {Object.keys(errors).length > 0 ? (
          <p className="notice error small filter-errors" role="alert">
            Ignored: {Object.entries(errors).map(([key, message]) => `${key} — ${message}`).join("; ")}
          </p>
        ) : null}
      </form>

      <section className="panel flush" aria-label="Tickets">
        {page.items.length === 0 ? (
          <p className="empty">No tickets match.</p>
        ) : (
          <div className="table-scroll">
            <table className="data tickets">
              <thead>
                <tr>
                  <th>Type</th>
                  <th>E-mail</th>
                  <th>Domain</th>
                  <th>Leads to</th>
                  <th>State</th>
                  <th>Created / expires</th>
                  <th className="num" title="Uses left">Left</th>
                  <th>Requested from</th>
                  <th>Last used</th>
                  <th className="num" title="Times the link was opened without being used">Opened</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((t) => (
                  <tr key={t.id} data-ticket-id={t.id}>
                    <td className="kind">
                      <Link href={`/admin/tickets/${t.id}`}>{purposeLabel(t.type)}</Link>
                      <span className="sub mono">#{t.hashPrefix}</span>
                    </td>
                    <td>
                      {t.email ? (
                        <Link href={`/admin/tickets/${t.id}`}>
                          <Address email={t.email} oneLine />
                        </Link>
                      ) : <span className="muted">{t.projectId ? (projectName.get(t.projectId) ?? "API") : "—"}</span>}
                    </td>
                    <td>
                      <span className="clip" title={t.domain}>
                        {t.domain}
                      </span>
                    </td>
                    <td className="leads">{t.data ? <span title={t.data}>{sentenceCase(describeAction(t.data) ?? t.data)}</span> : <span className="muted">—</span>}</td>
                    <td>
                      <span className={`badge ${t.status}`}>{STATE_LABELS[t.status]}</span>
                    </td>
                    <td className="nowrap">
                      {formatShortDate(t.createdAt)}
                      <span className="sub">expires {t.expiresAt && sameDay(t.expiresAt, t.createdAt) ? formatTime(t.expiresAt) : formatShortDate(t.expiresAt, "never")}</span>
                    </td>
                    <td className="num">{t.usesLeft ?? "∞"}</td>
                    <td>
                      <span className="clip" title={t.requestedFromIp ?? undefined}>
                        {t.requestedFromIp ?? "—"}
                      </span>
                      {t.requestedFromUa ? <span className="sub narrow" title={t.requestedFromUa}>{describeUserAgent(t.requestedFromUa)}</span> : null}
                    </td>
                    <td className="nowrap">
                      {t.lastUsedAt ? (
                        <>
                          {formatShortDate(t.lastUsedAt)}
                          <span className="sub narrow" title={t.lastUsedIp ?? undefined}>
                            {t.lastUsedIp ?? ""}
                          </span>
                        </>
                      ) : (
                        <span className="muted">never</span>
                      )}
                    </td>
                    <td className="num">{t.openCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          shown={page.items.length}
          note={values.cursor ? "not the first page" : undefined}
          first={values.cursor ? withCursor(values, null) : null}
          next={page.nextCursor ? withCursor(values, page.nextCursor) : null}
        />
      </section>
    </>
  );
}
