// What administrators can change, as plain functions over injected
// dependencies (database, ticket core, sealed mail, clock), so they run in
// vitest on real databases. Each writes its AuditEvent in the same
// transaction as its change; those that go through the ticket core (cancel,
// disable) run it bound to that transaction (inTicketTransaction), and
// clean-up writes it with each of the job's batches.
//
// Every operation is reached through `ADMIN_OPERATIONS` and
// lib/admin/perform.ts, which checks same-origin and the role first and
// parses the input with the form's own zod schema.
import type { z } from "zod";

import { createApiKey, createProject, revokeApiKey } from "@/lib/api/projects";
import { ticketCancelledMail } from "@/emails/ticket-cancelled";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { formatCount, formatNumber, formatSeconds, plural } from "@/lib/format";
import { purposeLabel } from "@/lib/tickets/kinds";
import { inTicketTransaction } from "@/lib/db/prisma-ticket-store";
import { invalidateUserSession, invalidateUserSessions } from "@/lib/sessions/sessions";
import type { QueuedMail } from "@/lib/mail/outbox";
import { type CleanupSummary, describeCleanup, describeStates, runCleanupExclusive } from "@/lib/jobs/cleanup";
import type { Clock, OutboxMessage, TicketService } from "@/lib/tickets";
import { createOidcClient, deleteOidcClient, rotateOidcClientSecret, updateOidcClient } from "@/lib/oidc/clients";
import {
  appRefSchema,
  createAppSchema,
  updateAppSchema,
  cancelTicketSchema,
  cleanupSchema,
  createKeySchema,
  createProjectSchema,
  grantAdminSchema,
  keyRefSchema,
  sessionRefSchema,
  setDisabledSchema,
  updateProjectSchema,
  userRefSchema,
} from "@/lib/forms/admin";

import { type AdminContext, type AuditEntry, auditRow } from "./audit";

export interface AdminDeps {
  db: Db;
  tickets: TicketService;
  /** Seals a mail (a cancelled ticket's reason) for the outbox; the operation queues it in its transaction. */
  sealMail(mail: QueuedMail): OutboxMessage;
  /** Told once such a mail is committed, so delivery starts at once. */
  mailQueued(): void;
  /** ADMIN_EMAILS, normalised. */
  adminEmails: readonly string[];
  /** TICKET_RETENTION_DAYS. */
  retentionDays: number;
  clock: Clock;
  /** AUTH_SECRET: apps' client secrets are sealed with a key derived from it (lib/oidc/seal.ts). */
  authSecret: string;
  /** Where the clean-up job takes its one-instance-at-a-time lock (DATABASE_URL; a test's PostgreSQL schema). */
  jobLock: { url: string; schema?: string };
}

export type ActionState =
  | { status: "idle" }
  | { status: "ok"; message: string; /** A new API key: shown in this answer and never again. */ key?: string; /** An app's new client secret: shown in this answer and never again. */ clientSecret?: { clientId: string; secret: string } }
  | { status: "error"; message: string; fieldErrors?: Record<string, string> };

type Op<S extends z.ZodType> = { schema: S; run(deps: AdminDeps, ctx: AdminContext, input: z.output<S>): Promise<ActionState> };
function op<S extends z.ZodType>(schema: S, run: Op<S>["run"]): Op<S> {
  return { schema, run };
}

const ok = (message: string, key?: string): ActionState => (key ? { status: "ok", message, key } : { status: "ok", message });
const error = (message: string, fieldErrors?: Record<string, string>): ActionState => (fieldErrors ? { status: "error", message, fieldErrors } : { status: "error", message });

async function audited<T>(deps: AdminDeps, ctx: AdminContext, entry: AuditEntry | ((result: T) => AuditEntry), change: (tx: Db) => Promise<T>): Promise<T> {
  return deps.db.$transaction(async (tx) => {
    const result = await change(tx as unknown as Db);
    await tx.auditEvent.create({ data: auditRow(ctx, typeof entry === "function" ? entry(result) : entry, deps.clock) });
    return result;
  });
}

/** Grants the admin role, creating the user when the address has none. Shared with `npm run admin:grant`. */
export async function grantAdminRole(deps: Pick<AdminDeps, "db" | "clock">, ctx: AdminContext, email: string): Promise<{ userId: string; created: boolean; already: boolean }> {
  return deps.db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, role: true } });
    if (existing?.role === "admin") return { userId: existing.id, created: false, already: true };
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: "admin" }, select: { id: true } })
      : await tx.user.create({ data: { email, role: "admin" }, select: { id: true } });
    await tx.auditEvent.create({ data: auditRow(ctx, { action: "user.grant-admin", targetType: "user", targetId: user.id, detail: existing ? email : `${email} (new user)` }, deps.clock) });
    return { userId: user.id, created: !existing, already: false };
  });
}

/**
 * Disables a user and, in the same transaction, deletes every session and
 * revokes every open ticket issued to them (by user or by address), each with
 * a "revoked" event. Enabling ends every session too: none can exist, and
 * if one were left from before (a sign-in that raced an older disable), it
 * must not come back to life with the account.
 */
export async function setUserDisabled(deps: Pick<AdminDeps, "db" | "tickets" | "clock">, ctx: AdminContext, userId: string, disabled: boolean) {
  return inTicketTransaction(deps.db, deps.tickets, async (tx, tickets) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, disabled: true } });
    if (!user) return null;
    await tx.user.update({ where: { id: userId }, data: { disabled } });
    let sessions = 0;
    let revoked = 0;
    sessions = await invalidateUserSessions(tx, userId);
    if (disabled) {
      revoked = await tickets.revokeOpen({ owner: { userId, email: user.email } }, "account disabled by an administrator", ctx.actor);
    }
    await tx.auditEvent.create({
      data: auditRow(ctx, { action: disabled ? "user.disable" : "user.enable", targetType: "user", targetId: userId, detail: disabled ? `${user.email}: ${plural(sessions, "session")} ended, ${plural(revoked, "open ticket")} revoked` : user.email }, deps.clock),
    });
    return { email: user.email, sessions, revoked };
  });
}

/**
 * "Clean up now": the scheduled clean-up job (lib/jobs/cleanup.ts), under its
 * lock, audited. The audit row is written with the job's first batch and
 * brought up to date in each batch's transaction after it, so it counts
 * exactly what is gone, however far the job got; nothing to remove still
 * leaves a row. `{ ran: false }`: another instance was running the job.
 */
export async function cleanUpAudited(deps: Pick<AdminDeps, "db" | "tickets" | "retentionDays" | "clock" | "jobLock">, ctx: AdminContext, batchSize?: number) {
  let audit: { id: string; detail: string } | null = null;
  const record = async (sofar: CleanupSummary, tx: Db) => {
    const detail = `${describeCleanup(sofar)}; kept for ${plural(deps.retentionDays, "day")}`;
    if (audit === null) audit = { id: (await tx.auditEvent.create({ data: auditRow(ctx, { action: "tickets.cleanup", targetType: "tickets", detail }, deps.clock), select: { id: true } })).id, detail };
    else if (detail !== audit.detail) audit = { id: (await tx.auditEvent.update({ where: { id: audit.id }, data: { detail }, select: { id: true } })).id, detail };
  };
  return runCleanupExclusive(deps.jobLock.url, { db: deps.db, tickets: deps.tickets, clock: deps.clock, record }, { retentionDays: deps.retentionDays, batchSize }, { schema: deps.jobLock.schema });
}

type ProjectSettings = { maxLiveTickets: number; maxPayloadBytes: number; defaultTtl: number; disabled: boolean };

/** A project's limits as its audit row reads them: "at most 100,000 live tickets, payloads up to 4,096 bytes, default ttl 1 min". */
function projectLimits(p: Omit<ProjectSettings, "disabled">): string {
  return `at most ${formatCount(p.maxLiveTickets, "live ticket")}, payloads up to ${formatCount(p.maxPayloadBytes, "byte")}, default ttl ${formatSeconds(p.defaultTtl)}`;
}

/** What an update changed, in the form's words: "live tickets at most 50 → 7", "disabled". */
function projectChanges(before: ProjectSettings, after: ProjectSettings): string[] {
  const changes: string[] = [];
  if (before.maxLiveTickets !== after.maxLiveTickets) changes.push(`live tickets at most ${formatNumber(before.maxLiveTickets)} → ${formatNumber(after.maxLiveTickets)}`);
  if (before.maxPayloadBytes !== after.maxPayloadBytes) changes.push(`payload bytes at most ${formatNumber(before.maxPayloadBytes)} → ${formatNumber(after.maxPayloadBytes)}`);
  if (before.defaultTtl !== after.defaultTtl) changes.push(`default ttl ${formatSeconds(before.defaultTtl)} → ${formatSeconds(after.defaultTtl)}`);
  if (before.disabled !== after.disabled) changes.push(after.disabled ? "disabled" : "enabled");
  return changes;
}

/** What "Clean up now" says it removed. */
function cleanupMessage(summary: CleanupSummary, retentionDays: number): string {
  const { tickets, mail, sessions, bindings, rateLimitBuckets, oidc } = summary;
  const ago = `more than ${plural(retentionDays, "day")} ago`;
  if (tickets.removed + mail + sessions + bindings + rateLimitBuckets + oidc === 0) return `Nothing to remove: no ticket ended ${ago}.`;
  return (
    `Removed ${plural(tickets.removed, "ticket")} that ended ${ago}${tickets.removed ? ` (${describeStates(tickets.byState)})` : ""}; ` +
    `also ${plural(mail, "sent or failed mail")}, ${plural(sessions, "expired session")}, ${plural(bindings, "expired browser binding")}, ${plural(rateLimitBuckets, "finished rate-limit window")} and ${plural(oidc, "expired app sign-in record")}.`
  );
}

export const ADMIN_OPERATIONS = {
  cancelTicket: op(cancelTicketSchema, async (deps, ctx, input) => {
    // The revoke, its event, the mail to the requester and the audit row: one transaction.
    const outcome = await inTicketTransaction(deps.db, deps.tickets, async (tx, tickets) => {
      const now = tickets.clock.now();
      const queue = async (mail: QueuedMail) => tx.mailMessage.create({ data: { ...deps.sealMail(mail), state: "pending", attempts: 0, nextAttemptAt: now }, select: { id: true } });
      const cancelled = await tickets.cancel(input.ticketId, input.reason, { actor: ctx.actor, notify: (notice) => queue(ticketCancelledMail(notice)) });
      if (cancelled.ok) {
        await tx.auditEvent.create({
          data: auditRow(ctx, { action: "ticket.cancel", targetType: "ticket", targetId: input.ticketId, detail: `${purposeLabel(cancelled.ticket.type)} for ${cancelled.ticket.email ?? "an API project"}: ${input.reason}` }, deps.clock),
        });
      }
      return cancelled;
    });
    if (!outcome.ok) {
      if (outcome.code === "NO_REASON") return error("Give a reason.", { reason: "Give a reason; it is mailed to the person who asked for the link" });
      if (outcome.code === "NOT_FOUND") return error("There is no such ticket (it may have been cleaned up).");
      const current = await deps.tickets.get(input.ticketId);
      return error(`This ticket is no longer open${current ? ` (it is ${current.ticket.status})` : ""}; there is nothing to cancel.`);
    }
    if (outcome.mailed) deps.mailQueued();
    return ok(outcome.mailed ? `Cancelled. ${outcome.ticket.email} has been mailed the reason.` : "Cancelled. (API ticket: nobody to mail.)");
  }),

  cleanup: op(cleanupSchema, async (deps, ctx) => {
    const outcome = await cleanUpAudited(deps, ctx);
    if (!outcome.ran) return error("Another instance is cleaning up right now; nothing was removed here. Try again in a minute.");
    return ok(cleanupMessage(outcome.result, deps.retentionDays));
  }),

  grantAdmin: op(grantAdminSchema, async (deps, ctx, input) => {
    if (deps.adminEmails.includes(input.email)) return ok(`${input.email} is already an administrator (from configuration).`);
    // Two grants racing to create one account: the second finds it made by the first and grants on it.
    const result = await grantAdminRole(deps, ctx, input.email).catch((failure: unknown) => {
      if (isUniqueViolation(failure)) return grantAdminRole(deps, ctx, input.email);
      throw failure;
    });
    if (result.already) return ok(`${input.email} is already an administrator.`);
    return ok(result.created ? `${input.email} had no account; it was created as an administrator.` : `${input.email} is now an administrator.`);
  }),

  removeAdmin: op(userRefSchema, async (deps, ctx, input) => {
    const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true } });
    if (!user) return error("There is no such user.");
    if (deps.adminEmails.includes(user.email)) return error(`${user.email} is an administrator from configuration (ADMIN_EMAILS); change the configuration to remove it.`);
    if (user.id === ctx.admin.id) return error("You cannot remove your own administrator role; ask another administrator.");
    if (user.role !== "admin") return ok(`${user.email} is not an administrator.`);
    await audited(deps, ctx, { action: "user.remove-admin", targetType: "user", targetId: user.id, detail: user.email }, (tx) => tx.user.update({ where: { id: user.id }, data: { role: "user" } }));
    return ok(`${user.email} is no longer an administrator.`);
  }),

  setDisabled: op(setDisabledSchema, async (deps, ctx, input) => {
    if (input.userId === ctx.admin.id && input.disabled) return error("You cannot disable your own account.");
    if (input.disabled) {
      // Disabling would take the console from an administrator the configuration names, which the console may not do.
      const target = await deps.db.user.findFirst({ where: { id: input.userId }, select: { email: true } });
      if (target && deps.adminEmails.includes(target.email)) return error(`${target.email} is an administrator from configuration (ADMIN_EMAILS); change the configuration to disable it.`);
    }
    const result = await setUserDisabled(deps, ctx, input.userId, input.disabled);
    if (!result) return error("There is no such user.");
    return ok(input.disabled ? `${result.email} is disabled: ${plural(result.sessions, "session")} ended, ${plural(result.revoked, "open ticket")} revoked.` : `${result.email} is enabled again.`);
  }),

  revokeSession: op(sessionRefSchema, async (deps, ctx, input) => {
    const session = await deps.db.session.findUnique({ where: { id: input.sessionId }, select: { id: true, userId: true, ipAddress: true, user: { select: { email: true } } } });
    if (!session) return error("This session has already ended.");
    await audited(deps, ctx, { action: "session.revoke", targetType: "session", targetId: session.id, detail: `${session.user.email}${session.ipAddress ? ` from ${session.ipAddress}` : ""}` }, (tx) =>
      invalidateUserSession(tx, session.userId, session.id),
    );
    return ok(`Signed ${session.user.email} out of that session.`);
  }),

  createProject: op(createProjectSchema, async (deps, ctx, input) => {
    const taken = () => error("A project with this name already exists.", { name: "A project with this name already exists" });
    if (await deps.db.apiProject.findUnique({ where: { name: input.name }, select: { id: true } })) return taken();
    // Two submissions racing past the check: the unique name decides, and the loser is told so, not given a 500.
    const created = await audited(
      deps,
      ctx,
      (created: Awaited<ReturnType<typeof createProject>>) => ({ action: "project.create", targetType: "project", targetId: created.project.id, detail: `${input.name}: ${projectLimits(input)}; first key ${created.project.keys[0]?.prefix}…` }),
      (tx) => createProject(tx, input.name, { maxLiveTickets: input.maxLiveTickets, maxPayloadBytes: input.maxPayloadBytes, defaultTtl: input.defaultTtl }),
    ).catch((failure: unknown) => {
      if (isUniqueViolation(failure)) return null;
      throw failure;
    });
    if (!created) return taken();
    return ok(`Project ${input.name} created with its first key.`, created.key);
  }),

  updateProject: op(updateProjectSchema, async (deps, ctx, input) => {
    const before = await deps.db.apiProject.findUnique({ where: { id: input.projectId } });
    if (!before) return error("There is no such project.");
    const changes = projectChanges(before, input);
    if (changes.length === 0) return ok("Nothing changed.");
    await audited(deps, ctx, { action: "project.update", targetType: "project", targetId: before.id, detail: `${before.name}: ${changes.join(", ")}` }, (tx) =>
      tx.apiProject.update({ where: { id: before.id }, data: { maxLiveTickets: input.maxLiveTickets, maxPayloadBytes: input.maxPayloadBytes, defaultTtl: input.defaultTtl, disabled: input.disabled } }),
    );
    return ok(`Saved ${before.name}. Running instances pick the change up within a few seconds.`);
  }),

  createKey: op(createKeySchema, async (deps, ctx, input) => {
    const project = await deps.db.apiProject.findUnique({ where: { id: input.projectId }, select: { id: true, name: true } });
    if (!project) return error("There is no such project.");
    const { key } = await audited(
      deps,
      ctx,
      (created: Awaited<ReturnType<typeof createApiKey>>) => ({ action: "key.create", targetType: "api_key", targetId: created.record.id, detail: `${project.name}: ${created.record.prefix}…${input.name ? ` (${input.name})` : ""}` }),
      (tx) => createApiKey(tx, project.id, input.name || null),
    );
    return ok(`New key for ${project.name}.`, key);
  }),

  revokeKey: op(keyRefSchema, async (deps, ctx, input) => {
    const key = await deps.db.apiKey.findUnique({ where: { id: input.keyId }, select: { id: true, prefix: true, revokedAt: true, project: { select: { name: true } } } });
    if (!key) return error("There is no such key.");
    if (key.revokedAt) return ok(`Key ${key.prefix}… was already revoked.`);
    await audited(deps, ctx, { action: "key.revoke", targetType: "api_key", targetId: key.id, detail: `${key.project.name}: ${key.prefix}…` }, (tx) => revokeApiKey(tx, key.id, deps.clock.now()));
    return ok(`Key ${key.prefix}… revoked. Requests with it are refused within a few seconds.`);
  }),

  createApp: op(createAppSchema, async (deps, ctx, input) => {
    const taken = () => error("An app with this name already exists.", { name: "An app with this name already exists" });
    if (await deps.db.oidcClient.findUnique({ where: { name: input.name }, select: { id: true } })) return taken();
    const created = await audited(
      deps,
      ctx,
      (made: Awaited<ReturnType<typeof createOidcClient>>) => ({ action: "app.create", targetType: "app", targetId: made.client.id, detail: `${input.name}${input.public ? ", public" : ""}${input.firstParty ? ", first-party" : ""}: ${input.redirectUris.join(" ")}` }),
      (tx) => createOidcClient(tx, deps.authSecret, input),
    ).catch((failure: unknown) => {
      if (isUniqueViolation(failure)) return null;
      throw failure;
    });
    if (!created) return taken();
    const message = `App ${input.name} registered. Client id: ${created.client.id}.`;
    return created.clientSecret ? { status: "ok", message, clientSecret: { clientId: created.client.id, secret: created.clientSecret } } : ok(`${message} It is public: no secret, PKCE required.`);
  }),

  updateApp: op(updateAppSchema, async (deps, ctx, input) => {
    const before = await deps.db.oidcClient.findUnique({ where: { id: input.clientId }, select: { id: true, name: true, redirectUris: true, postLogoutRedirectUris: true, firstParty: true } });
    if (!before) return error("There is no such app.");
    const changes = [
      before.redirectUris !== JSON.stringify(input.redirectUris) ? `redirect URIs ${input.redirectUris.join(" ")}` : null,
      before.postLogoutRedirectUris !== JSON.stringify(input.postLogoutRedirectUris) ? `post-logout URIs ${input.postLogoutRedirectUris.join(" ") || "none"}` : null,
      before.firstParty !== input.firstParty ? (input.firstParty ? "first-party" : "not first-party") : null,
    ].filter(Boolean);
    if (changes.length === 0) return ok("Nothing changed.");
    await audited(deps, ctx, { action: "app.update", targetType: "app", targetId: before.id, detail: `${before.name}: ${changes.join(", ")}` }, (tx) => updateOidcClient(tx, before.id, input));
    return ok(`Saved ${before.name}.`);
  }),

  rotateAppSecret: op(appRefSchema, async (deps, ctx, input) => {
    const app = await deps.db.oidcClient.findUnique({ where: { id: input.clientId }, select: { id: true, name: true, public: true } });
    if (!app) return error("There is no such app.");
    if (app.public) return error(`${app.name} is public: it has no secret.`);
    const secret = await audited(deps, ctx, { action: "app.rotate-secret", targetType: "app", targetId: app.id, detail: app.name }, (tx) => rotateOidcClientSecret(tx, deps.authSecret, app.id));
    if (!secret) return error("There is no such app.");
    return { status: "ok", message: `New secret for ${app.name}. The old one no longer works.`, clientSecret: { clientId: app.id, secret } };
  }),

  deleteApp: op(appRefSchema, async (deps, ctx, input) => {
    const app = await deps.db.oidcClient.findUnique({ where: { id: input.clientId }, select: { id: true, name: true } });
    if (!app) return error("There is no such app.");
    await audited(deps, ctx, { action: "app.delete", targetType: "app", targetId: app.id, detail: app.name }, (tx) => deleteOidcClient(tx, app.id));
    return ok(`Deleted ${app.name}: its tokens no longer work, and people's consents to it are gone.`);
  }),
} as const;

export type AdminOperation = keyof typeof ADMIN_OPERATIONS;
