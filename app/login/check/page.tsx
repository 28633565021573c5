import type { Metadata } from "next";
import Link from "next/link";

import { env } from "@/lib/env";
import { plural } from "@/lib/format";

import { ApprovalPanel } from "@/app/_components/approval-panel";
import { numberForThisBrowser } from "@/lib/sign-in/asking.server";

import { CodeForm } from "./code-form";

export const metadata: Metadata = { title: "Check your mail" };
// Reads the runtime configuration (the link lifetime), so it is rendered per request.
export const dynamic = "force-dynamic";

export default async function CheckMailPage() {
  const minutes = env().LOGIN_TICKET_TTL_MINUTES;
  const number = await numberForThisBrowser("login");
  return (
    <>
      <div className="card">
        <h1>Check your mail</h1>
        <p className="lead">
          If that address can sign in here, a link is on its way. It works once and for {plural(minutes, "minute")}. Only the latest link you asked for works.
        </p>
        <p className="muted">Nothing arrived after a few minutes? Look in the spam folder, or <Link href="/login">ask again</Link>.</p>
        {number ? <ApprovalPanel number={number} kind="login" /> : null}
      </div>
      <div className="card">
        <h2>Reading mail on another device?</h2>
        <p className="muted">Type the 6-digit code from the mail here instead of opening the link.</p>
        <CodeForm />
      </div>
    </>
  );
}
