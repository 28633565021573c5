
import { listSessions } from "@/lib/admin/queries";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { systemClock } from "@/lib/tickets";
import { listQuerySchema, parseQuery } from "@/lib/forms/admin";
import { runtime } from "@/lib/runtime";

import { Pager } from "@/app/admin/_components/pager";
import { SessionTable } from "@/app/admin/_components/session-table";

export const generateMetadata = adminPageMetadata("Sessions");
export const dynamic = "force-dynamic";

export default async function AdminSessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("admin/sessions");
  const { values } = parseQuery(listQuerySchema, await searchParams);
  const page = await listSessions(runtime().db, systemClock, { cursor: values.cursor, limit: 50 });

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
          <SessionTable sessions={page.items} withUser />
        )}
        <Pager shown={page.items.length} first={values.cursor ? "/admin/sessions" : null} next={page.nextCursor ? `/admin/sessions?cursor=${page.nextCursor}` : null} />
      </section>
    </>
  );
}
