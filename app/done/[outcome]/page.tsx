import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { DONE_OUTCOMES, isDoneOutcome, undoneFrom, undoneMessage } from "@/lib/tickets/outcomes";

export const metadata: Metadata = { title: "Done", robots: { index: false, follow: false } };

/** Where a ticket form lands once its work is done (lib/tickets/outcomes.ts). */
export default async function DonePage({ params, searchParams }: { params: Promise<{ outcome: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { outcome } = await params;
  if (!isDoneOutcome(outcome)) notFound();
  const done = DONE_OUTCOMES[outcome];
  // An undone e-mail change says exactly what was taken away (the counts come with the redirect).
  const undone = outcome === "email-change-undone" ? undoneFrom(await searchParams) : null;
  return (
    <div className="card" data-done={outcome}>
      <h1>{done.title}</h1>
      <p className="lead">{undone ? undoneMessage(undone) : done.message}</p>
      <Link className="button" href={done.next.href}>
        {done.next.label}
      </Link>
    </div>
  );
}
