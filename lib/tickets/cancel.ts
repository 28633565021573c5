// Bugzilla::Token's Cancel($token, $reason) with today's rules: the ticket is
// revoked (its history kept, not deleted) and whoever asked for it is told
// why — when an administrator cancels it, or when it is presented for an
// action other than its own (a password reset link posted to the sign-in
// button, …): someone holding the link tried to use it for something it was
// not made for. The telling is passed in (lib/runtime wires the mail of
// emails/ticket-cancelled.ts), so the core stays free of mail and databases.
import { purposeOf } from "./kinds";
import type { RedeemResult, Result, TicketRef, TicketView, UseOptions } from "./service";
import type { Actor, TicketType } from "./types";

/** Longest reason kept; it is shown to the requester and stored with the ticket. */
export const MAX_REASON_LENGTH = 500;

/** A cancelled ticket's requester, to be told. */
export interface CancelNotice {
  /** The ticket as it is now (revoked); its address is whom to tell. */
  ticket: TicketView & { email: string };
  by: "admin" | "misuse";
  /** The reason as stored with the ticket. */
  reason: string;
  /** Who cancelled it, or presented it where it does not belong. */
  actor: Actor;
}

export type CancelNotifier = (notice: CancelNotice) => Promise<unknown>;

export type CancelOutcome = { ok: true; ticket: TicketView; mailed: boolean } | { ok: false; code: "NOT_FOUND" | "NOT_OPEN" | "NO_REASON" };

export interface CancelOptions {
  actor?: Actor;
  /**
   * Tells the requester instead of the service's notifier — e.g. by queueing
   * the mail in the caller's transaction. A service bound to a transaction
   * (withStore) has no notifier of its own, so its callers pass one.
   */
  notify?: CancelNotifier;
}

export type RedeemForOptions = Omit<UseOptions, "types"> & CancelOptions;

/** A redeem's answer, or "misused": the ticket was of another type, and is cancelled now. */
export type RedeemForResult = RedeemResult | (Omit<RedeemResult, "result"> & { result: "misused" });
export type RedeemForOutcome = RedeemForResult["result"];

interface Core {
  redeemRef(ref: TicketRef, opts: UseOptions): Promise<RedeemResult>;
  revoke(id: string, reason: string, actor?: Actor): Promise<Result<TicketView>>;
}

/** The core's cancel and redeemFor, over its redeem and revoke. */
export function cancelOperations(core: Core, notifier: CancelNotifier | undefined) {
  async function cancel(id: string, reason: string, by: CancelNotice["by"], opts: CancelOptions = {}): Promise<CancelOutcome> {
    const notify = opts.notify ?? notifier;
    // Checked before anything is written: a revoke whose requester cannot be told is a wiring bug.
    if (!notify) throw new TypeError("cancel: no notifier (pass notifyCancelled to createTicketService, or notify per call)");
    const text = reason.replace(/\r\n?/g, "\n").trim().slice(0, MAX_REASON_LENGTH);
    if (!text) return { ok: false, code: "NO_REASON" };
    const actor = opts.actor ?? {};
    const revoked = await core.revoke(id, text, actor);
    if (!revoked.ok) return { ok: false, code: revoked.error.code === "NOT_FOUND" ? "NOT_FOUND" : "NOT_OPEN" };
    const ticket = revoked.value;
    // API tickets have no address: nobody to tell.
    if (!ticket.email) return { ok: true, ticket, mailed: false };
    await notify({ ticket: { ...ticket, email: ticket.email }, by, reason: text, actor });
    return { ok: true, ticket, mailed: true };
  }

  return {
    /** Revokes an open ticket with a reason and tells whoever asked for it (an administrator's cancel). */
    cancel: (id: string, reason: string, opts: CancelOptions = {}) => cancel(id, reason, "admin", opts),

    /**
     * Uses a ticket for one of `types`. A ticket of another type is not
     * spent: it is cancelled, its requester told, and the answer is
     * "misused" — or, when it had ended already, the ordinary refusal.
     */
    async redeemFor(types: readonly TicketType[], ref: TicketRef, opts: RedeemForOptions = {}): Promise<RedeemForResult> {
      const { notify, ...use } = opts;
      const result = await core.redeemRef(ref, { ...use, types });
      const presented = result.ticket;
      if (result.result !== "error" || !presented || types.includes(presented.type)) return result;
      const reason = `This ${purposeOf(presented.type)} was presented for something else (${types.map(purposeOf).join(", ")}).`;
      const cancelled = await cancel(presented.id, reason, "misuse", { actor: use.actor, notify });
      return cancelled.ok ? { ...result, result: "misused", status: "revoked", ticket: cancelled.ticket } : result;
    },
  };
}
