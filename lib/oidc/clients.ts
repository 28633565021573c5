// The apps (relying parties) that may sign people in through Ticketgate, one
// row each in `oidc_clients`, managed by `npm run oidc:client` and the admin
// console's Apps section (audited there). Secrets are sealed, not hashed: the
// provider compares the presented secret with the registered one itself
// (and client_secret_jwt would need it as an HMAC key), so it must be
// readable by the app; sealing keeps it out of a database dump (lib/oidc/seal.ts).
import { randomBytes } from "node:crypto";

import { z } from "zod";

import type { Db } from "@/lib/db/client";
import { newSecret } from "@/lib/secrets";

import { seal, unseal } from "./seal";

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

/** A redirect URI as registered: absolute http(s), no fragment, no credentials. Matched exactly (RFC 9700 §4.1.3). */
export const redirectUriSchema = z
  .string()
  .trim()
  .max(2000, "A redirect URI is at most 2,000 characters")
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.hash && !url.username && !url.password && !/[\s\u0000-\u001f]/.test(value);
  }, "Enter an absolute http(s) address without a #fragment, such as https://app.example.com/callback");

export const clientNameSchema = z.string().trim().min(1, "Name the app").max(80, "At most 80 characters");

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
