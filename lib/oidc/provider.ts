// The OpenID Connect provider (issue 16; docs/decisions/0020): oidc-provider,
// the OpenID-certified library, configured for Ticketgate. Issuer = APP_URL;
// its endpoints live under /oidc and discovery at
// /.well-known/openid-configuration (lib/oidc/http.ts mounts it on server.ts).
//
// Who is signed in is Ticketgate's own session: the provider's login is
// finished by our interaction (lib/oidc/http.ts) from the session cookie, and
// every grant is tied to the Ticketgate session it was given in. Tokens are
// honoured only while that session lives and the account is enabled, so
// signing out — or an administrator ending the session, or disabling the
// person — ends the apps' refresh tokens too.
import Provider, { type Configuration, type KoaContextWithOIDC, interactionPolicy } from "oidc-provider";

import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { STYLE, escapeHtml } from "@/lib/http/refusal-page";
import { hashSecret } from "@/lib/secrets";
import { sessionCookieFor } from "@/lib/sessions/session-token";

import { PrismaOidcAdapter, revokeGrants } from "./adapter";
import { SUPPORTED_SCOPES } from "./consents";
import { loadSigningKeys } from "./keys";
import { derivedKey } from "./seal";
import { grantSessionLive, liveSessionFromCookies, readCookie } from "./ticketgate-session";

export const OIDC_PREFIX = "/oidc";
/** Access tokens: 10 minutes. */
export const ACCESS_TOKEN_SECONDS = 600;
const ID_TOKEN_SECONDS = 3600;
/** Time to sign in (a mailed link may take a few minutes to arrive) and consent. */
const INTERACTION_SECONDS = 3600;

export interface OidcDeps {
  db: Db;
  config: Pick<Env, "APP_URL" | "AUTH_SECRET" | "OIDC_REFRESH_TOKEN_DAYS" | "SESSION_MAX_AGE_DAYS">;
}

/** The headers of the few pages the provider renders itself (logout, errors): no scripts, forms only to `formAction`. */
function pageHeaders(ctx: KoaContextWithOIDC, formAction: string[] = []): void {
  ctx.set("Content-Security-Policy", `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'${formAction.map((origin) => ` ${origin}`).join("")}; frame-ancestors 'none'`);
  ctx.set("Cache-Control", "no-store");
  ctx.set("Referrer-Policy", "no-referrer");
  ctx.set("X-Content-Type-Options", "nosniff");
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ticketgate</title><meta name="robots" content="noindex"><style>${STYLE}
form{display:flex;gap:.75rem;flex-wrap:wrap}button{font:inherit;cursor:pointer;border:1px solid #2f5bea}button.secondary{background:#fff;color:#2f5bea}</style></head>
<body><header><a href="/">Ticketgate</a></header><main><div class="card">${body}</div></main></body></html>
`;
}

export async function createOidcProvider(deps: OidcDeps): Promise<Provider> {
  const { db, config } = deps;
  const secret = config.AUTH_SECRET;
  const refreshSeconds = config.OIDC_REFRESH_TOKEN_DAYS * 86_400;
  const keys = await loadSigningKeys(db, secret, { keepRetiredSeconds: refreshSeconds });
  const sessionCookie = sessionCookieFor(config.APP_URL);
  const https = config.APP_URL.startsWith("https://");

  const liveSession = (ctx: KoaContextWithOIDC) => liveSessionFromCookies(db, config.APP_URL, ctx.get("cookie") || undefined);

  const policy = interactionPolicy.base();
  // The provider's own session is not enough: the browser must still hold a
  // live Ticketgate session of the same person (findAccount checks it, and
  // leaves the account unset when it does not).
  policy.get("login")!.checks.add(
    new interactionPolicy.Check("ticketgate_session", "Sign-in to Ticketgate is required", "login_required", (ctx) => (ctx.oidc.account ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT)),
  );

  const configuration: Configuration = {
    adapter: (name: string) => new PrismaOidcAdapter(name, { db, secret }),
    jwks: { keys: keys as unknown as NonNullable<Configuration["jwks"]>["keys"] },
    cookies: {
      keys: [derivedKey(secret, "oidc cookie keys").toString("base64url")],
      names: { session: "tg_oidc_session", interaction: "tg_oidc_interaction", resume: "tg_oidc_resume" },
      // Secure is added by the library whenever the request is https (APP_URL's scheme, lib/oidc/http.ts).
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    scopes: SUPPORTED_SCOPES,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    responseTypes: ["code"],
    clientDefaults: { grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic", id_token_signed_response_alg: "RS256" },
    // Public clients must use PKCE (S256, the only method this version offers); confidential ones may.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: ID_TOKEN_SECONDS,
      RefreshToken: refreshSeconds,
      Grant: refreshSeconds,
      Interaction: INTERACTION_SECONDS,
      Session: config.SESSION_MAX_AGE_DAYS * 86_400,
    },
    // Every refresh replaces the refresh token; the old one is refused afterwards.
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      // A client may revoke only its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      // A client may ask only about its own tokens.
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          // The confirmation's POST ends in a redirect to the app's post-logout
          // address; CSP form-action must allow that origin or Chromium stops it.
          const target = ctx.oidc.params?.post_logout_redirect_uri;
          pageHeaders(ctx, typeof target === "string" && URL.canParse(target) ? [new URL(target).origin] : []);
          const app = ctx.oidc.client?.clientName ?? "the app";
          ctx.type = "html";
          ctx.body = page(
            "Sign out",
            `<h1>Sign out of Ticketgate?</h1><p>${escapeHtml(app)} asked to sign you out. This also signs you out of Ticketgate in this browser.</p>${form}
<form><button autofocus class="button" type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button><button class="button secondary" type="submit" form="op.logoutForm">Stay signed in</button></form>`,
          );
        },
        postLogoutSuccessSource(ctx) {
          pageHeaders(ctx);
          ctx.type = "html";
          ctx.body = page("Signed out", `<h1>You are signed out</h1><p>You can close this window.</p><a class="button" href="/login">Sign in again</a>`);
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}`, policy },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      end_session: `${OIDC_PREFIX}/session/end`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      registration: `${OIDC_PREFIX}/reg`,
      challenge: `${OIDC_PREFIX}/challenge`,
    },
    async findAccount(ctx, sub, token) {
      const user = await db.user.findUnique({ where: { id: sub }, select: { id: true, email: true, name: true, disabled: true } });
      if (!user || user.disabled) return undefined;
      if (token) {
        // A code or token: honoured while the Ticketgate session its grant was given in lives.
        const grantId = "grantId" in token ? token.grantId : undefined;
        if (!grantId || !(await grantSessionLive(db, grantId, sub))) {
          if (grantId) await revokeGrants(db, [grantId]);
          return undefined;
        }
      } else {
        // Authorization: this browser must be signed in to Ticketgate as this person.
        const session = await liveSession(ctx);
        if (!session || session.userId !== sub) return undefined;
      }
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, email: user.email, email_verified: true, name: user.name ?? user.email }),
      };
    },
    // A grant belongs to one Ticketgate session: a new session gets a new one (through our interaction).
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const session = await liveSession(ctx);
      if (!session || session.userId !== accountId) return undefined;
      const fromResult = ctx.oidc.result?.consent?.grantId;
      const row = await db.oidcPayload.findFirst({
        where: { kind: "Grant", accountId, clientId, sessionId: session.id, ...(typeof fromResult === "string" ? { id: fromResult } : {}), OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
        orderBy: [{ createdAt: "desc" }],
        select: { id: true },
      });
      return row ? ctx.oidc.provider.Grant.find(row.id) : undefined;
    },
    async renderError(ctx, out) {
      pageHeaders(ctx);
      ctx.type = "html";
      ctx.body = page(
        "Sign-in to the app failed",
        `<h1>The app's sign-in request could not be completed</h1><p>${escapeHtml(String(out.error_description ?? out.error ?? "Something went wrong."))}</p><p>Go back to the app and start again.</p><a class="button" href="/">Go to Ticketgate</a>`,
      );
    },
    enabledJWA: { idTokenSigningAlgValues: ["RS256"] },
  };

  const provider = new Provider(config.APP_URL, configuration);
  // server.ts forwards APP_URL's scheme and host (lib/oidc/http.ts): URLs the provider writes never come from the request.
  provider.proxy = true;

  // RP-initiated logout signs the browser out of Ticketgate as well; its
  // grants' refresh tokens end with the session (findAccount).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === "end_session_confirm" && ctx.state.endTicketgateSession) {
      const token = readCookie(ctx.get("cookie") || undefined, sessionCookie.name);
      if (token) await db.session.deleteMany({ where: { sessionToken: hashSecret(token) } });
      ctx.append("Set-Cookie", `${sessionCookie.name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${https ? "; Secure" : ""}`);
    }
  });
  provider.on("end_session.success", (ctx: KoaContextWithOIDC) => {
    ctx.state.endTicketgateSession = true;
  });
  return provider;
}
