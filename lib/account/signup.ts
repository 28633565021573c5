// Bugzilla::Token::issue_new_user_account_token with today's rules: the
// account exists only once the mailed ticket is confirmed (with a password),
// a repeat request for one address within a few minutes is refused, and an
// address that already has an account gets a notice instead of a link — the
// page that asked answers the same either way.
import { accountExistsEmail } from "@/emails/account-exists";
import { newAccountEmail } from "@/emails/new-account";
import { isUniqueViolation } from "@/lib/db/errors";
import { checkRateLimits } from "@/lib/db/rate-limit";
import { ticketLink } from "@/lib/tickets/link";
import type { Actor, TicketRef } from "@/lib/tickets";
import { TICKET_KINDS, issueRules, ttlSeconds } from "@/lib/tickets/kinds";
import { setPasswordSchema } from "@/lib/forms/account";

import { type AccountDeps, unexpected } from "./deps";
import { hashPassword } from "./password";
import { type MailRequestOutcome, type TicketFormOutcome, firstIssue, resetRateLimitRules } from "./password-reset";

export async function requestSignup(deps: AccountDeps, email: string, actor: Actor): Promise<MailRequestOutcome | { status: "closed" }> {
  if (deps.config.SIGNUP === "closed") return { status: "closed" };
  const limit = await checkRateLimits(deps.db, resetRateLimitRules("signup", email, actor.ip ?? null, deps.config), deps.tickets.clock.now());
  if (!limit.allowed) return { status: "too-soon", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await deps.db.user.findUnique({ where: { email }, select: { disabled: true } });
  if (user) {
    // The owner learns someone tried; the requester learns nothing. A disabled account hears nothing.
    if (!user.disabled) await deps.sendMail({ to: email, template: "account-exists", ...accountExistsEmail({ appUrl: deps.config.APP_URL, requestedFromIp: actor.ip ?? null }) });
    return { status: "sent", ticketId: null };
  }
  const issued = await deps.tickets.issue({
    ...issueRules("new_account", deps.config),
    email,
    requestedFrom: actor,
    mail: (ticket) =>
      deps.sealMail({
        to: email,
        template: TICKET_KINDS.new_account.template,
        ...newAccountEmail({ url: ticketLink(deps.config.APP_URL, ticket), expiresInMinutes: ttlSeconds("new_account", deps.config) / 60, requestedFromIp: actor.ip ?? null }),
      }),
  });
  if (!issued.ok) unexpected("new account ticket refused", issued.error.code);
  deps.mailQueued();
  return { status: "sent", ticketId: issued.value.record.id };
}

/**
 * Creates the account from a confirmed new_account ticket. The password is
 * checked and hashed before the ticket is spent. An address that got an
 * account in the meantime (a sign-in link while sign-up is open) is not
 * touched: the person is told to sign in.
 */
export async function confirmSignup(
  deps: AccountDeps,
  ticket: TicketRef,
  input: { password?: unknown; confirm?: unknown },
  actor: Actor,
): Promise<TicketFormOutcome<{ status: "created"; userId: string } | { status: "exists" } | { status: "closed" }>> {
  if (deps.config.SIGNUP === "closed") return { status: "closed" };
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error, "Check the password");
  const passwordHash = await hashPassword(parsed.data.password);

  const result = await deps.tickets.redeemFor(["new_account"], ticket, { actor, domain: deps.config.TICKET_DOMAIN });
  if (result.result === "misused") return { status: "misused" };
  if (result.result !== "success" || !result.email) return { status: "refused", result };
  try {
    const user = await deps.db.user.create({ data: { email: result.email, passwordHash, emailVerified: deps.tickets.clock.now() }, select: { id: true } });
    return { status: "created", userId: user.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { status: "exists" };
    throw error;
  }
}
