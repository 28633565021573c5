import type { Metadata } from "next";

import { env } from "@/lib/env";
import { requestActor } from "@/lib/server/request";
import { tickets } from "@/lib/server/tickets";
import { maskEmail } from "@/lib/validation/email";

import { ConfirmForm } from "./confirm-form";
import { problemOf } from "./problem";
import { ProblemPanel } from "./problem-panel";

export const metadata: Metadata = { title: "Sign in", robots: { index: false, follow: false }, referrer: "no-referrer" };
// Every view is looked up afresh and never cached (the headers say so too: next.config.ts).
export const dynamic = "force-dynamic";

/**
 * GET and HEAD only look: mail scanners fetch links before people click, so
 * nothing is spent and no session is opened here. The button's POST does that.
 */
export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { status, ticket } = await tickets().peek(id, { actor: await requestActor(), domain: env().TICKET_DOMAIN });
  if (status === "open" && ticket?.type === "login" && ticket.email) {
    return <ConfirmForm ticket={id} maskedEmail={maskEmail(ticket.email)} target={ticket.data} />;
  }
  return <ProblemPanel problem={problemOf(status, ticket)} ticket={id} />;
}
