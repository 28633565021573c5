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
  scopes: string[];
  since: Date;
}

export async function listConsentedApps(db: Pick<Db, "oidcConsent">, userId: string): Promise<ConsentedApp[]> {
  const rows = await db.oidcConsent.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { clientId: true, scopes: true, createdAt: true, client: { select: { name: true } } } });
  return rows.map((row) => ({ clientId: row.clientId, name: row.client.name, scopes: row.scopes.split(" ").filter(Boolean), since: row.createdAt }));
}

/** Forgets the consent and ends every grant (and token) the person gave the app. Returns whether there was one. */
export async function revokeConsent(db: Db, userId: string, clientId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const grants = await tx.oidcPayload.findMany({ where: { kind: "Grant", accountId: userId, clientId }, select: { id: true } });
    await revokeGrants(tx, grants.map((grant) => grant.id));
    return (await tx.oidcConsent.deleteMany({ where: { userId, clientId } })).count > 0;
  });
}
