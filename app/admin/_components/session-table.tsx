import Link from "next/link";

import { describeUserAgent } from "@/lib/http/user-agent";
import { formatDate } from "@/lib/format";

import { AdminForm } from "./admin-form";
import { Address } from "@/app/_components/address";

export interface SessionRow {
  id: string;
  createdAt: Date;
  expires: Date;
  ipAddress: string | null;
  userAgent: string | null;
  /** Shown as a first column when given (the all-sessions page). */
  user?: { id: string; email: string };
}

/** Live sessions with a "Sign out" button each: on the sessions page and on a user's page. */
export function SessionTable({ sessions, withUser = false }: { sessions: SessionRow[]; withUser?: boolean }) {
  return (
    <div className="table-scroll">
      <table className="data">
        <thead>
          <tr>
            {withUser ? <th>User</th> : null}
            <th>Opened</th>
            <th>From</th>
            <th>Browser</th>
            <th>Ends</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              {withUser && s.user ? (
                <td>
                  <Link href={`/admin/users/${s.user.id}`}>
                    <Address email={s.user.email} oneLine />
                  </Link>
                </td>
              ) : null}
              <td className="nowrap">{formatDate(s.createdAt)}</td>
              <td className="nowrap">{s.ipAddress ?? "—"}</td>
              <td>{s.userAgent ? <span title={s.userAgent}>{describeUserAgent(s.userAgent)}</span> : "—"}</td>
              <td className="nowrap">{formatDate(s.expires)}</td>
              <td>
                <AdminForm kind="revokeSession" hidden={{ sessionId: s.id }} submit="Sign out" variant="secondary" compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
