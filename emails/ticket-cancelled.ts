// The notice Bugzilla::Token's Cancel() sends: a ticket the person asked for
// was cancelled, by whom, why, and where the request had come from. It never
// carries a link or the ticket itself. Every interpolated value is escaped.
import { escapeHtml, mailColors, oneLine, renderLayout } from "./layout";
import type { RenderedEmail } from "./login-link";
import { formatWhen } from "@/lib/format";
import type { QueuedMail } from "@/lib/mail/outbox";
import type { CancelNotice } from "@/lib/tickets/cancel";
import { purposeOf } from "@/lib/tickets/kinds";
import type { TicketType } from "@/lib/tickets/types";

export interface TicketCancelledEmailProps {
  type: TicketType;
  /** "admin": an administrator cancelled it; "misuse": it was presented for something it was not made for. */
  by: "admin" | "misuse";
  reason: string;
  issuedAt: Date;
  requestedFromIp: string | null;
  /** Where the cancelling request came from, when known. */
  cancelledFromIp: string | null;
  appName?: string;
}

export const ticketCancelledEmailPreview: TicketCancelledEmailProps = {
  type: "password_reset",
  by: "admin",
  reason: "Requested by someone else; please ask again if it was you.",
  issuedAt: new Date("2026-11-24T09:00:00Z"),
  requestedFromIp: "192.0.2.10",
  cancelledFromIp: "198.51.100.7",
  appName: "Ticketgate",
};

export function ticketCancelledEmail(props: TicketCancelledEmailProps): RenderedEmail {
  const appName = oneLine(props.appName ?? "Ticketgate") || "Ticketgate";
  const purpose = purposeOf(props.type);
  const reason = props.reason.trim() || "No reason was given.";
  const issued = formatWhen(props.issuedAt);
  const who = props.by === "admin" ? "An administrator cancelled it." : "It was cancelled because it was presented for something it was not made for.";
  const facts = [
    `Issued: ${issued}${props.requestedFromIp ? `, requested from ${oneLine(props.requestedFromIp)}` : ""}`,
    ...(props.cancelledFromIp ? [`Cancelled from: ${oneLine(props.cancelledFromIp)}`] : []),
  ];
  const after = "The link no longer works. If you still need it, ask for a new one.";

  const subject = `Your ${purpose} for ${appName} was cancelled`;
  const text = [`Your ${purpose} for ${appName} was cancelled`, "", who, "", "Reason:", reason, "", ...facts, "", after, ""].join("\n");

  const c = mailColors;
  const bodyHtml = `<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;font-weight:700;color:${c.text};">Your ${escapeHtml(purpose)} was cancelled</h1>
<p style="margin:0 0 16px;">${escapeHtml(who)}</p>
<p style="margin:0 0 4px;font-weight:700;">Reason</p>
<p style="margin:0 0 16px;white-space:pre-wrap;">${escapeHtml(reason)}</p>
<p style="margin:0 0 16px;font-size:14px;color:${c.muted};">${facts.map(escapeHtml).join("<br>")}</p>
<p style="margin:0;">${escapeHtml(after)}</p>`;
  const html = renderLayout({ title: subject, preheader: reason.slice(0, 120), bodyHtml, footerHtml: `<p style="margin:0;">${escapeHtml(appName)}</p>` });
  return { subject, text, html };
}

/** The notice for a cancelled ticket (lib/tickets/cancel.ts), addressed to whoever asked for it. */
export function ticketCancelledMail(notice: CancelNotice): QueuedMail {
  const { ticket, by, reason, actor } = notice;
  const mail = ticketCancelledEmail({ type: ticket.type, by, reason, issuedAt: ticket.createdAt, requestedFromIp: ticket.requestedFromIp, cancelledFromIp: actor.ip ?? null });
  return { to: ticket.email, template: "ticket-cancelled", ...mail };
}
