import Link from "next/link";

import { formatCount, formatNumber, formatShare, plural } from "@/lib/format";
import { dailyActivity, openedWithoutUse, ticketCounts } from "@/lib/admin/queries";
import { env } from "@/lib/env";
import { adminPageMetadata, requireAdmin } from "@/lib/admin/admin.server";
import { TICKET_STATES, systemClock } from "@/lib/tickets";
import { runtime } from "@/lib/runtime";
import { STATE_LABELS } from "@/lib/tickets/outcomes";

import { ActivityChart } from "@/app/admin/_components/activity-chart";
import { AdminForm } from "@/app/admin/_components/admin-form";

export const generateMetadata = adminPageMetadata("Overview");
export const dynamic = "force-dynamic";

export default async function AdminOverviewPage() {
  await requireAdmin("admin");
  const [counts, days, scanner] = await Promise.all([ticketCounts(runtime().tickets), dailyActivity(runtime().db, systemClock), openedWithoutUse(runtime().db, systemClock)]);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const retention = env().TICKET_RETENTION_DAYS;

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Overview</h1>
          <p>{formatCount(total, "ticket")} kept. Times are UTC.</p>
        </div>
      </div>

      <div className="stat-grid" data-testid="state-counts">
        {TICKET_STATES.map((state) => (
          <Link key={state} className="stat" href={`/admin/tickets?state=${state}`} data-state={state}>
            <span className="stat-label">
              <span className={`dot ${state}`} aria-hidden="true" />
              {STATE_LABELS[state]}
            </span>
            <span className="stat-value">{formatNumber(counts[state])}</span>
          </Link>
        ))}
      </div>

      <div className="split">
        <section className="panel" aria-labelledby="activity">
          <h2 id="activity">Last 30 days</h2>
          <ActivityChart data={days} />
          <p className="muted small">
            Per UTC day: links issued and uses, from the tickets&apos; history; expired = links whose expiry fell that day before they were used up or cancelled. Tickets removed by clean-up no longer count.
          </p>
        </section>
        <section className="panel" aria-labelledby="scanners">
          <h2 id="scanners">Opened but never used</h2>
          <p className="big-figure" data-testid="opened-share">
            {formatShare(scanner.share)}
          </p>
          <p className="small">
            {formatNumber(scanner.openedNotUsed)} of {formatCount(scanner.issued, "sign-in link")} issued in the last 30 days {scanner.openedNotUsed === 1 ? "was" : "were"} opened — the confirmation page loaded — but never used.
          </p>
          <p className="small" data-testid="opened-elsewhere">
            {formatNumber(scanner.openedElsewhere)} of them {scanner.openedElsewhere === 1 ? "was" : "were"} opened in a browser that did not ask for them: mail scanners, or people reading mail on another device (they approve with the number the asking browser shows).
          </p>
          <p className="muted small">
            Something fetched the link without pressing the button: a mail scanner or link preview, or a person who gave up. A high share with sign-ins still working means scanners are fetching links, which is harmless here: opening never spends a ticket, and only the browser that asked can use one by a press.
          </p>
        </section>
      </div>

      <section className="panel" aria-labelledby="cleanup">
        <h2 id="cleanup">Clean-up</h2>
        <p className="small muted">
          Runs the scheduled clean-up job now, unless another instance is running it. It removes tickets — with their history — that were used up, expired, cancelled or replaced more than {plural(retention, "day")} ago (<code>TICKET_RETENTION_DAYS</code>), sent and failed mail as old, expired sessions and sign-in codes, and finished rate-limit windows. Open tickets are never removed.
        </p>
        <AdminForm
          kind="cleanup"
          submit="Clean up now"
          variant="secondary"
          confirm={`Run the clean-up job now? It removes tickets that ended more than ${plural(retention, "day")} ago, sent and failed mail as old, and expired sessions, sign-in codes and rate-limit windows.`}
        />
      </section>
    </>
  );
}
