import Link from "next/link";

import { adminSource } from "@/lib/admin/access";
import { formatDate } from "@/lib/format";
import { listUsers } from "@/lib/admin/queries";
import { env } from "@/lib/env";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { listQuerySchema, parseQuery } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";

import { AdminForm } from "@/app/admin/_components/admin-form";
import { Pager } from "@/app/admin/_components/pager";
import { Address } from "@/app/_components/address";

export const generateMetadata = adminPageMetadata("Users");
export const dynamic = "force-dynamic";

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("admin/users");
  const params = await searchParams;
  const { values, errors } = parseQuery(listQuerySchema, params);
  const page = await listUsers(runtime().db, { q: values.q, cursor: values.cursor, limit: 50 });
  const adminEmails = env().ADMIN_EMAILS;
  const next = new URLSearchParams({ ...(values.q ? { q: values.q } : {}), ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Users</h1>
          <p>Everyone with an account, by address.</p>
        </div>
      </div>

      <div className="split">
        <form className="panel" method="get" action="/admin/users" role="search" aria-label="Search users">
          <div className="filters">
            <div className="field">
              <label htmlFor="u-q">Address contains</label>
              <input id="u-q" name="q" type="search" defaultValue={typeof params.q === "string" ? params.q : ""} placeholder="ada@ or example.org" />
            </div>
            <div className="actions">
              <button type="submit" className="button small">
                Search
              </button>
              {values.q ? <Link href="/admin/users" className="small">Clear</Link> : null}
            </div>
          </div>
          {Object.keys(errors).length ? <p className="notice error small filter-errors">Ignored: {Object.values(errors).join("; ")}</p> : null}
        </form>
        <section className="panel" aria-labelledby="grant">
          <h2 id="grant">Add an administrator</h2>
          <AdminForm kind="grantAdmin" variant="secondary" />
        </section>
      </div>

      <section className="panel flush" aria-label="Users">
        {page.items.length === 0 ? (
          <p className="empty">No users match.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>E-mail</th>
                  <th>Role</th>
                  <th>Status</th>
                  <th className="num">Sessions</th>
                  <th>Since</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((u) => {
                  const source = adminSource(u, adminEmails);
                  return (
                    <tr key={u.id}>
                      <td>
                        <Link href={`/admin/users/${u.id}`}>
                          <Address email={u.email} oneLine />
                        </Link>
                      </td>
                      <td className="nowrap">{source ? <span className="badge admin">admin{source === "configuration" ? " · configuration" : ""}</span> : <span className="muted">user</span>}</td>
                      <td>{u.disabled ? <span className="badge disabled">disabled</span> : <span className="muted">active</span>}</td>
                      <td className="num">{u._count.sessions}</td>
                      <td className="nowrap">{formatDate(u.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          shown={page.items.length}
          first={values.cursor ? (values.q ? `/admin/users?q=${encodeURIComponent(values.q)}` : "/admin/users") : null}
          next={page.nextCursor ? `/admin/users?${next.toString()}` : null}
        />
      </section>
    </>
  );
}
