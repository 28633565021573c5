import Link from "next/link";

/**
 * The foot of a cursor-paged list: how many rows are shown, a link back to
 * the first page (when not on it) and one to the next (when there is one).
 */
export function Pager({
  shown,
  first,
  next,
  note,
  labels = { first: "← First page", next: "Next page →" },
}: {
  shown: number;
  /** Where the first page is, or null on the first page. */
  first: string | null;
  /** Where the next page is, or null on the last. */
  next: string | null;
  /** Said after the count (e.g. "not the first page"). */
  note?: string;
  labels?: { first: string; next: string };
}) {
  return (
    <div className="pager">
      <span>
        {shown} shown{note ? ` (${note})` : ""}
      </span>
      <span>
        {first ? <Link href={first}>{labels.first}</Link> : null}
        {first && next ? " · " : null}
        {next ? <Link href={next}>{labels.next}</Link> : null}
      </span>
    </div>
  );
}

/** Newest-first lists say "Newest" and "Older". */
export const NEWEST_FIRST = { first: "← Newest", next: "Older →" };
