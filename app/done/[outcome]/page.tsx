import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { DONE_OUTCOMES, isDoneOutcome } from "@/lib/tickets/outcomes";

export const metadata: Metadata = { title: "Done", robots: { index: false, follow: false } };

/** Where a ticket form lands once its work is done (lib/tickets/outcomes.ts). */
export default async function DonePage({ params }: { params: Promise<{ outcome: string }> }) {
  const { outcome } = await params;
  if (!isDoneOutcome(outcome)) notFound();
  const done = DONE_OUTCOMES[outcome];
  return (
    <div className="card" data-done={outcome}>
      <h1>{done.title}</h1>
      <p className="lead">{done.message}</p>
      <Link className="button" href={done.next.href}>
        {done.next.label}
      </Link>
    </div>
  );
}
