"use client";

// Shown when a page fails on the server — almost always the database being
// unreachable for a moment (a restart, a failover). Trying again is safe: a
// ticket is spent in one write or not at all, and its page then says which.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong on our side</h1>
      <p className="lead">The service could not finish this page, usually because it is restarting. Try again in a moment. If you were opening a link from a mail, open it again: its page will say whether it still works.</p>
      <p>
        <button type="button" className="button" onClick={() => reset()}>
          Try again
        </button>
      </p>
    </section>
  );
}
