// Development only: the mail the outbox transport wrote to OUTBOX_DIR, so a
// sign-in link can be clicked without a mail server. With SMTP_URL set, or in
// production, the page does not exist.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { env } from "@/lib/env";
import { formatDateSeconds } from "@/lib/format";
import { listOutbox } from "@/lib/mail/transport";

import { clearOutboxAction } from "./actions";
import { outboxAvailable } from "./available";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Development outbox",
  robots: { index: false, follow: false },
  // The links are live tickets: the page they lead to must not learn where they came from.
  referrer: "same-origin",
};

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

export default async function DevOutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!(await outboxAvailable())) notFound();
  const config = env();
  const { to, cleared } = await searchParams;
  const filter = typeof to === "string" ? to.trim().toLowerCase() : "";
  const all = await listOutbox(config.OUTBOX_DIR, 50);
  const mails = filter ? all.filter((mail) => mail.to.toLowerCase().includes(filter)) : all;

  return (
    <>
      <div className="card">
        <h1>Development outbox</h1>
        <p className="lead">
          With no <code>SMTP_URL</code> set, mail is written to <code>{config.OUTBOX_DIR}</code> instead of being sent. The newest {mails.length === 50 ? "50 " : ""}
          mails are shown here, newest first. This page does not exist in production, and answers only to this machine.
        </p>
        {cleared ? (
          <p role="status" className="notice ok">
            The outbox is empty.
          </p>
        ) : null}
        {/* Plain forms: a GET that filters by recipient, a POST that empties the outbox. */}
        <form method="get" className="dev-outbox-tools">
          <label htmlFor="outbox-to">Recipient contains</label>
          <input id="outbox-to" name="to" type="search" defaultValue={filter} />
          <button type="submit" className="button secondary small">
            Filter
          </button>
        </form>
        <form action={clearOutboxAction}>
          <button type="submit" className="button secondary small">
            Clear the outbox
          </button>
        </form>
      </div>
      {mails.length === 0 ? (
        <div className="card">
          <p className="lead">{filter ? `No mail to an address containing “${filter}”.` : "No mail yet. Ask for a sign-in link and reload this page."}</p>
        </div>
      ) : (
        mails.map((mail) => (
          <article className="card dev-outbox-mail" key={mail.file} aria-labelledby={`mail-${mail.file}`}>
            <h2 id={`mail-${mail.file}`} className="dev-outbox-subject">
              {mail.subject || "(no subject)"}
            </h2>
            <dl className="dev-outbox-meta">
              <dt>To</dt>
              <dd>{mail.to}</dd>
              <dt>Date</dt>
              <dd>
                <time dateTime={mail.date.toISOString()}>{formatDateSeconds(mail.date)}</time>
              </dd>
              <dt>File</dt>
              <dd>
                <code>{mail.file}</code>
              </dd>
            </dl>
            <div className="dev-outbox-parts">
              <pre className="dev-outbox-text">{linkify(mail.text, config.APP_URL)}</pre>
              {mail.html ? (
                // The HTML part as a mail client shows it, in a frame with no scripts, no forms and no access to this page.
                <iframe className="dev-outbox-html" sandbox="" srcDoc={mail.html} title={`The HTML of “${mail.subject}”`} referrerPolicy="no-referrer" />
              ) : null}
            </div>
          </article>
        ))
      )}
    </>
  );
}

/** Text with this app's own links made clickable; any other URL stays plain text. */
function linkify(text: string, appUrl: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    // Trailing punctuation belongs to the sentence, not the link.
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    if (start > last) nodes.push(text.slice(last, start));
    nodes.push(
      isOwnUrl(url, appUrl) ? (
        <a key={start} href={url} rel="noreferrer">
          {url}
        </a>
      ) : (
        url
      ),
    );
    last = start + url.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** APP_URL is an origin; a prefix test alone would accept http://localhost:3000.evil.example. */
function isOwnUrl(url: string, appUrl: string): boolean {
  if (url !== appUrl && !url.startsWith(`${appUrl}/`)) return false;
  try {
    return new URL(url).origin === appUrl;
  } catch {
    return false;
  }
}
