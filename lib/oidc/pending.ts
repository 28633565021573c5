// An app's sign-in waiting for the person (oidc-provider's Interaction), as
// the consent page reads it from the database — without loading the
// provider into Next.js. Only what the page shows and the consent records.
import type { Db } from "@/lib/db/client";

import { scopeList } from "./consents";

export interface PendingSignIn {
  uid: string;
  clientId: string;
  clientName: string;
  firstParty: boolean;
  scopes: string[];
}

export const UID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export async function pendingSignIn(db: Pick<Db, "oidcPayload" | "oidcClient">, uid: string, now = new Date()): Promise<PendingSignIn | null> {
  if (!UID_PATTERN.test(uid)) return null;
  const row = await db.oidcPayload.findUnique({ where: { kind_id: { kind: "Interaction", id: uid } }, select: { payload: true, expiresAt: true } });
  if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
  const payload = JSON.parse(row.payload) as { params?: { client_id?: unknown; scope?: unknown }; result?: unknown };
  const clientId = payload.params?.client_id;
  if (typeof clientId !== "string") return null;
  const client = await db.oidcClient.findUnique({ where: { id: clientId }, select: { name: true, firstParty: true } });
  if (!client) return null;
  return { uid, clientId, clientName: client.name, firstParty: client.firstParty, scopes: scopeList(payload.params?.scope) };
}
