// The apps (relying parties) that may sign people in through Ticketgate, one
// row each in `oidc_clients`, managed by `npm run oidc:client` and the admin
// console's Apps section (audited there). Secrets are sealed, not hashed: the
// provider compares the presented secret with the registered one itself
// (and client_secret_jwt would need it as an HMAC key), so it must be
// readable by the app; sealing keeps it out of a database dump (lib/oidc/seal.ts).
import { randomBytes } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { newSecret } from "@/lib/secrets";

import { seal, unseal } from "./seal";

export { clientNameSchema, redirectUriSchema } from "@/lib/forms/admin";

export interface OidcClientRow {
  id: string;
  name: string;
  secretSealed: string | null;
  redirectUris: string;
  postLogoutRedirectUris: string;
  public: boolean;
  firstParty: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** No secret; PKCE required (a browser or mobile app). Default false. */
  public?: boolean;
  /** People are not asked to consent. Default false. */
  firstParty?: boolean;
}

export function newClientSecret(): string {
  return newSecret("tgcs_");
}

/** Creates an app; returns its row and, for a confidential client, its secret (shown once). */
export async function createOidcClient(db: Pick<Db, "oidcClient">, authSecret: string, input: NewClient): Promise<{ client: OidcClientRow; clientSecret: string | null }> {
  const clientSecret = input.public ? null : newClientSecret();
  const client = await db.oidcClient.create({
    data: {
      id: `tg_${randomBytes(16).toString("base64url")}`,
      name: input.name,
      secretSealed: clientSecret ? seal(authSecret, "oidc client secret", clientSecret) : null,
      redirectUris: JSON.stringify(input.redirectUris),
      postLogoutRedirectUris: JSON.stringify(input.postLogoutRedirectUris ?? []),
      public: input.public ?? false,
      firstParty: input.firstParty ?? false,
    },
  });
  return { client, clientSecret };
}

/** A new secret for a confidential client; the old one stops working at once. Null for a public client or none. */
export async function rotateOidcClientSecret(db: Pick<Db, "oidcClient">, authSecret: string, id: string): Promise<string | null> {
  const clientSecret = newClientSecret();
  const { count } = await db.oidcClient.updateMany({ where: { id, public: false }, data: { secretSealed: seal(authSecret, "oidc client secret", clientSecret) } });
  return count === 1 ? clientSecret : null;
}

/** Changes an app's addresses and whether it is first-party. False when there is no such app. */
export async function updateOidcClient(db: Pick<Db, "oidcClient">, id: string, input: { redirectUris: string[]; postLogoutRedirectUris: string[]; firstParty: boolean }): Promise<boolean> {
  const { count } = await db.oidcClient.updateMany({ where: { id }, data: { redirectUris: JSON.stringify(input.redirectUris), postLogoutRedirectUris: JSON.stringify(input.postLogoutRedirectUris), firstParty: input.firstParty } });
  return count === 1;
}

/** Deletes an app with everything the provider holds for it (grants, tokens) and people's consents. */
export async function deleteOidcClient(db: Pick<Db, "oidcClient" | "oidcPayload">, id: string): Promise<boolean> {
  await db.oidcPayload.deleteMany({ where: { clientId: id } });
  return (await db.oidcClient.deleteMany({ where: { id } })).count === 1;
}

export function uriList(stored: string): string[] {
  try {
    const list: unknown = JSON.parse(stored);
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** The client as oidc-provider reads it (its registration metadata). */
export function clientMetadata(row: OidcClientRow, authSecret: string): Record<string, unknown> {
  return {
    client_id: row.id,
    client_name: row.name,
    ...(row.public || !row.secretSealed ? { token_endpoint_auth_method: "none" } : { client_secret: unseal(authSecret, "oidc client secret", row.secretSealed), token_endpoint_auth_method: "client_secret_basic" }),
    redirect_uris: uriList(row.redirectUris),
    post_logout_redirect_uris: uriList(row.postLogoutRedirectUris),
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  };
}
