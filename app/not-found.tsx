import type { Metadata } from "next";
import Link from "next/link";

import { NOT_FOUND_TITLE } from "@/lib/site";

export const metadata: Metadata = { title: NOT_FOUND_TITLE };

/** The site's one 404 page: unknown paths, and every admin page for someone who is not an administrator. */
export default function NotFound() {
  return (
    <div className="card" data-not-found>
      <h1>This page does not exist</h1>
      <p className="lead">The address may be mistyped, or the page may have moved.</p>
      <Link className="button" href="/">
        Go to the home page
      </Link>
    </div>
  );
}
