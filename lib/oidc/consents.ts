// People's remembered consent to apps: asked once per app (and again when it
// asks for more), listed and revocable on /account ("Apps you signed in to").
// Revoking also ends every grant the person gave that app, with its tokens.
import type { Db } from "@/lib/db/client";

import { revokeGrants } from "./adapter";

/** The scopes Ticketgate offers, in the words the consent page and /account use. */
export const SCOPE_WORDS: Record<string, string> = {
  openid: "know who you are on Ticketgate",
  email: "see your e-mail address",
  profile: "see your name",
  offline_access: "stay signed in while you are away",
};

export const SUPPORTED_SCOPES = Object.keys(SCOPE_WORDS);

export function scopeList(scope: unknown): string[] {
  if (typeof scope !== "string") return [];
  return [...new Set(scope.split(" ").filter((s) => SUPPORTED_SCOPES.includes(s)))];
}

/** Whether the person has consented to `clientId` asking for every one of `scopes`. */
export async function consentCovers(db: Pick<Db, "oidcConsent">, userId: string, clientId: string, scopes: string[]): Promise<boolean> {
  const row = await db.oidcConsent.findUnique({ where: { userId_clientId: { userId, clientId } }, select: { scopes: true } });
  if (!row) return false;
  const given = new Set(row.scopes.split(" "));
  return scopes.every((scope) => given.has(scope));
}

/** Records consent to `scopes` (added to what was given before). */
export async function rememberConsent(db: Pick<Db, "oidcConsent">, userId: string, clientId: string, scopes: string[]): Promise<void> {
  const row = await db.oidcConsent.findUnique({ where: { userId_clientId: { userId, clientId } }, select: { scopes: true } });
  const merged = [...new Set([...(row?.scopes.split(" ").filter(Boolean) ?? []), ...scopes])].join(" ");
  await db.oidcConsent.upsert({ where: { userId_clientId: { userId, clientId } }, create: { userId, clientId, scopes: merged }, update: { scopes: merged } });
}

export interface ConsentedApp {
  clientId: string;
  name: string;
  /** When the person first allowed it, or signed in to it (a first-party app asks no consent). */
  since: Date;
}

/** The apps the person allowed, and the first-party ones they are signed in to (live grants), newest first. */
export async function listConsentedApps(db: Pick<Db, "oidcConsent" | "oidcPayload" | "oidcClient">, userId: string, now = new Date()): Promise<ConsentedApp[]> {
  const consents = await db.oidcConsent.findMany({ where: { userId }, select: { clientId: true, createdAt: true, client: { select: { name: true } } } });
  const apps = new Map<string, ConsentedApp>(consents.map((row) => [row.clientId, { clientId: row.clientId, name: row.client.name, since: row.createdAt }]));
  const grants = await db.oidcPayload.findMany({ where: { kind: "Grant", accountId: userId, clientId: { notIn: [...apps.keys()] }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, select: { clientId: true, createdAt: true }, orderBy: { createdAt: "asc" } });
  const granted = await db.oidcClient.findMany({ where: { id: { in: [...new Set(grants.map((g) => g.clientId!))] } }, select: { id: true, name: true } });
  for (const client of granted) apps.set(client.id, { clientId: client.id, name: client.name, since: grants.find((g) => g.clientId === client.id)!.createdAt });
  return [...apps.values()].sort((a, b) => b.since.getTime() - a.since.getTime() || a.name.localeCompare(b.name));
}

/** Forgets the consent and ends every grant (and token) the person gave the app. Returns whether there was either. */
export async function revokeConsent(db: Db, userId: string, clientId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const grants = await tx.oidcPayload.findMany({ where: { kind: "Grant", accountId: userId, clientId }, select: { id: true } });
    const ended = await revokeGrants(tx, grants.map((grant) => grant.id));
    return (await tx.oidcConsent.deleteMany({ where: { userId, clientId } })).count > 0 || ended > 0;
  });
}
