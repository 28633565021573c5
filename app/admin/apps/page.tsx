import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { env } from "@/lib/env";
import { formatDate, formatNumber, noun } from "@/lib/format";
import { uriList } from "@/lib/oidc/clients";
import { runtime } from "@/lib/runtime";

import { AdminForm } from "@/app/admin/_components/admin-form";

export const generateMetadata = adminPageMetadata("Apps");
export const dynamic = "force-dynamic";

/** Apps that sign people in through Ticketgate (OpenID Connect): register, change, new secret, delete — each audited. */
export default async function AdminAppsPage() {
  await requireAdmin("admin/apps");
  const apps = await runtime().db.oidcClient.findMany({ orderBy: [{ name: "asc" }], include: { _count: { select: { consents: true } } } });
  const issuer = env().APP_URL;

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Apps</h1>
          <p>
            Apps that sign people in with their Ticketgate account (OpenID Connect). Issuer <code>{issuer}</code>, discovery at <code>{issuer}/.well-known/openid-configuration</code>.
          </p>
        </div>
      </div>

      <section className="panel" aria-labelledby="new-app">
        <h2 id="new-app">Register an app</h2>
        <AdminForm kind="createApp" defaults={{ name: "", redirectUris: "", postLogoutRedirectUris: "", firstParty: false, public: false }} />
      </section>

      {apps.length === 0 ? <p className="panel empty">No apps yet.</p> : null}
      {apps.map((app) => (
        <section key={app.id} className="panel project" aria-labelledby={`app-${app.id}`} data-app={app.name}>
          <h2 id={`app-${app.id}`} style={{ margin: 0 }}>
            {app.name} {app.firstParty ? <span className="badge closed">first-party</span> : null} {app.public ? <span className="badge">public</span> : null}
          </h2>
          <div className="usage">
            <span>
              client id <strong className="mono">{app.id}</strong>
            </span>
            <span>
              <strong>{formatNumber(app._count.consents)}</strong> {noun(app._count.consents, "person", "people")} consented
            </span>
            <span>registered {formatDate(app.createdAt)}</span>
          </div>
          <AdminForm
            kind="updateApp"
            hidden={{ clientId: app.id }}
            defaults={{ redirectUris: uriList(app.redirectUris).join("\n"), postLogoutRedirectUris: uriList(app.postLogoutRedirectUris).join("\n"), firstParty: app.firstParty }}
            variant="secondary"
          />
          <div className="actions">
            {app.public ? null : <AdminForm kind="rotateAppSecret" hidden={{ clientId: app.id }} variant="secondary" compact confirm={`Give ${app.name} a new secret? The old one stops working at once.`} />}
            <AdminForm kind="deleteApp" hidden={{ clientId: app.id }} variant="secondary-danger" compact confirm={`Delete ${app.name}? People signed in through it lose their tokens.`} />
          </div>
        </section>
      ))}
    </>
  );
}
