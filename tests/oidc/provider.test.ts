// The OpenID Connect provider (issue 16) driven by openid-client, the
// certified relying-party library, over real HTTP on a real database.
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { rotateOidcClientSecret } from "@/lib/oidc/clients";
import { consentCovers, listConsentedApps, rememberConsent, revokeConsent } from "@/lib/oidc/consents";
import { invalidateSession, invalidateUserSession } from "@/lib/sessions/sessions";
import { sessionCookieFor } from "@/lib/sessions/session-token";

import { engines } from "../support/databases";
import { AUTH_SECRET, type OidcHarness, POST_LOGOUT_URI, REDIRECT_URI, authorizationRequest, newUser, registerApp, signedInBrowser, startOidc, Browser } from "./harness";

describe.each(engines)("the OpenID Connect provider on %s", (engine) => {
  let h: OidcHarness;
  let app: Awaited<ReturnType<typeof registerApp>>;
  let user: { id: string; email: string };

  beforeAll(async () => {
    h = await startOidc(engine);
    app = await registerApp(h);
    user = await newUser(h, "ada@example.com");
  });
  afterAll(async () => h?.close());

  /** A full sign-in: authorize in a signed-in browser, then the code exchanged with its verifier. */
  async function signIn(browser: Browser, config = app.config, extra: Record<string, string> = {}) {
    const request = await authorizationRequest(config, extra);
    const landed = await browser.open(request.url);
    expect(landed.left, `stopped at ${landed.url}: ${landed.body.slice(0, 300)}`).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true });
    return { request, landed, tokens };
  }

  it("publishes discovery at APP_URL with the issuer APP_URL, code flow only, PKCE S256", async () => {
    const meta = app.config.serverMetadata();
    expect(meta.issuer).toBe(h.base);
    expect(meta.authorization_endpoint).toBe(`${h.base}/oidc/auth`);
    expect(meta.token_endpoint).toBe(`${h.base}/oidc/token`);
    expect(meta.jwks_uri).toBe(`${h.base}/oidc/jwks`);
    expect(meta.end_session_endpoint).toBe(`${h.base}/oidc/session/end`);
    expect(meta.revocation_endpoint).toBe(`${h.base}/oidc/token/revocation`);
    expect(meta.introspection_endpoint).toBe(`${h.base}/oidc/token/introspection`);
    expect(meta.response_types_supported).toEqual(["code"]);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "offline_access"]));
    expect(meta.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
  });

  // DESIGN.md: "Links are built from the configured public URL, never from the request's Host or X-Forwarded-* headers."
  it("builds its endpoints from APP_URL, whatever Host and X-Forwarded-Host say", async () => {
    const res = await fetch(`${h.base}/.well-known/openid-configuration`, { headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" } });
    const body = (await res.json()) as { issuer: string; token_endpoint: string };
    expect(body.token_endpoint).toBe(`${h.base}/oidc/token`);
  });

  it("signs a person in with code + PKCE: the ID token is verified against the JWKS, userinfo has the claims", async () => {
    client.enableNonRepudiationChecks(app.config);
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.iss).toBe(h.base);
    expect(claims.aud).toBe(app.id);
    expect(tokens.expires_in).toBe(600);
    expect(tokens.refresh_token).toBeTruthy();
    const info = await client.fetchUserInfo(app.config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: "ada@example.com", email_verified: true, name: "Ada Lovelace" });
  });

  // DESIGN.md: tokens short, and a spent secret is refused (the refresh token rotates).
  it("rotates the refresh token: the new one works, the old one is refused", async () => {
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    const first = tokens.refresh_token!;
    const refreshed = await client.refreshTokenGrant(app.config, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    await expect(client.refreshTokenGrant(app.config, first)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("revokes an access token and a refresh token on request; introspection then says inactive", async () => {
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    expect((await client.tokenIntrospection(app.config, tokens.access_token)).active).toBe(true);
    await client.tokenRevocation(app.config, tokens.access_token);
    expect((await client.tokenIntrospection(app.config, tokens.access_token)).active).toBe(false);
    await client.tokenRevocation(app.config, tokens.refresh_token!);
    await expect(client.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("introspection tells a client about its own tokens only", async () => {
    const other = await registerApp(h);
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    const own = await client.tokenIntrospection(app.config, tokens.access_token);
    expect(own).toMatchObject({ active: true, client_id: app.id, sub: user.id });
    expect((await client.tokenIntrospection(other.config, tokens.access_token)).active).toBe(false);
  });

  it("RP-initiated logout: confirmed, it returns to the registered address and ends the Ticketgate session and its refresh tokens", async () => {
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    const end = client.buildEndSessionUrl(app.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI, state: "bye" });
    const confirm = await browser.open(end.href);
    expect(confirm.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(confirm.body)?.[1];
    expect(xsrf && action).toBeTruthy();
    const out = await browser.open(new URL(action!, h.base).href, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }) });
    expect(out.left).toBe(true);
    expect(out.url).toBe(`${POST_LOGOUT_URI}?state=bye`);
    expect(await h.t.db.session.findUnique({ where: { id: browser.sessionId } })).toBeNull();
    await expect(client.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  // DESIGN.md: "Stored actions are relative paths from a registry" — redirect URIs match exactly: no open redirect.
  it("refuses a redirect URI that is not registered exactly, without redirecting", async () => {
    const browser = await signedInBrowser(h, user.id);
    for (const uri of [`${REDIRECT_URI}/x`, `${REDIRECT_URI}?a=1`, "http://evil.example/callback", REDIRECT_URI.toUpperCase()]) {
      const request = await authorizationRequest(app.config, { redirect_uri: uri });
      const res = await browser.open(request.url);
      expect(res.left, uri).toBe(false);
      expect(res.status, uri).toBe(400);
      expect(res.body).toContain("redirect_uri");
    }
  });

  // DESIGN.md: "Consumption is one conditional write" — a code is single-use, and its reuse revokes what it gave.
  it("refuses a reused code and revokes the tokens the first use gave", async () => {
    const browser = await signedInBrowser(h, user.id);
    const request = await authorizationRequest(app.config);
    const landed = await browser.open(request.url);
    const checks = { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce };
    const tokens = await client.authorizationCodeGrant(app.config, new URL(landed.url), checks);
    await expect(client.authorizationCodeGrant(app.config, new URL(landed.url), checks)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(app.config, tokens.access_token)).active).toBe(false);
  });

  it("refuses a code with the wrong PKCE verifier", async () => {
    const browser = await signedInBrowser(h, user.id);
    const request = await authorizationRequest(app.config);
    const landed = await browser.open(request.url);
    await expect(client.authorizationCodeGrant(app.config, new URL(landed.url), { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: request.state })).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("the relying party refuses an answer whose state is not the one it sent", async () => {
    const browser = await signedInBrowser(h, user.id);
    const request = await authorizationRequest(app.config);
    const landed = await browser.open(request.url);
    await expect(client.authorizationCodeGrant(app.config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: client.randomState() })).rejects.toMatchObject({ code: "OAUTH_INVALID_RESPONSE", cause: expect.objectContaining({ message: expect.stringMatching(/state/) }) });
  });

  it("a public client must use PKCE, and gets no secret", async () => {
    const pub = await registerApp(h, { public: true });
    expect(pub.clientSecret).toBeNull();
    const browser = await signedInBrowser(h, user.id);
    const url = client.buildAuthorizationUrl(pub.config, { redirect_uri: REDIRECT_URI, scope: "openid", state: "s" });
    const res = await browser.open(url.href);
    expect(res.left).toBe(true);
    const answer = new URL(res.url);
    expect(answer.searchParams.get("error")).toBe("invalid_request");
    expect(answer.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(answer.searchParams.get("code")).toBeNull();
    // With PKCE it works.
    const { tokens } = await signIn(browser, pub.config);
    expect(tokens.claims()!.sub).toBe(user.id);
  });

  it("sends an anonymous browser to Ticketgate's sign-in, which returns to the interaction", async () => {
    const browser = new Browser(h.base);
    const request = await authorizationRequest(app.config);
    const res = await browser.open(request.url);
    const at = new URL(res.url);
    expect(at.pathname).toBe("/login");
    expect(at.searchParams.get("next")).toMatch(/^oidc\/interaction\/[A-Za-z0-9_-]{43}$/);
  });

  it("asks for consent the first time a person uses an app that is not first-party, then remembers it", async () => {
    const third = await registerApp(h, { firstParty: false });
    const browser = await signedInBrowser(h, user.id);
    const request = await authorizationRequest(third.config);
    const asked = await browser.open(request.url);
    const at = new URL(asked.url);
    expect(at.pathname).toMatch(/^\/consent\/[A-Za-z0-9_-]{43}$/);
    expect(asked.left).toBe(false);
    await rememberConsent(h.t.db, user.id, third.id, ["openid", "email", "profile", "offline_access"]);
    const back = await browser.open(`${h.base}/oidc/interaction/${at.pathname.split("/")[2]}`);
    expect(back.left).toBe(true);
    expect(new URL(back.url).searchParams.get("code")).toBeTruthy();
    // Remembered: the next sign-in goes straight through.
    const { tokens } = await signIn(browser, third.config);
    expect(tokens.claims()!.sub).toBe(user.id);
  });

  it("a disabled person gets no code, and no token for a code or refresh token they already hold", async () => {
    const dis = await newUser(h, `dis-${engine}@example.com`);
    const browser = await signedInBrowser(h, dis.id);
    const { tokens } = await signIn(browser);
    const request = await authorizationRequest(app.config);
    const landed = await browser.open(request.url);
    expect(landed.left).toBe(true);
    await h.t.db.user.update({ where: { id: dis.id }, data: { disabled: true } });
    await expect(client.authorizationCodeGrant(app.config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce })).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(client.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    const again = await browser.open((await authorizationRequest(app.config)).url);
    expect(again.left).toBe(false);
    expect(new URL(again.url).pathname).toBe("/login");
  });

  it("an administrator ending the person's session ends the refresh tokens given in it; other sessions' stay", async () => {
    const browser = await signedInBrowser(h, user.id);
    const other = await signedInBrowser(h, user.id);
    const ended = await signIn(browser);
    const kept = await signIn(other);
    expect(await invalidateUserSession(h.t.db, user.id, browser.sessionId)).toBe(1);
    await expect(client.refreshTokenGrant(app.config, ended.tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.refreshTokenGrant(app.config, kept.tokens.refresh_token!)).access_token).toBeTruthy();
    // The browser whose session ended is sent to sign in again.
    const again = await browser.open((await authorizationRequest(app.config)).url);
    expect(new URL(again.url).pathname).toBe("/login");
  });

  it("a person removing an app on /account ends its tokens, and it asks for consent again", async () => {
    const third = await registerApp(h, { firstParty: false });
    const browser = await signedInBrowser(h, user.id);
    await rememberConsent(h.t.db, user.id, third.id, ["openid", "email", "profile", "offline_access"]);
    const { tokens } = await signIn(browser, third.config);
    expect((await listConsentedApps(h.t.db, user.id)).map((a) => a.clientId)).toContain(third.id);
    expect(await revokeConsent(h.t.db, user.id, third.id)).toBe(true);
    expect((await listConsentedApps(h.t.db, user.id)).map((a) => a.clientId)).not.toContain(third.id);
    expect(await consentCovers(h.t.db, user.id, third.id, ["openid"])).toBe(false);
    await expect(client.refreshTokenGrant(third.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(third.config, tokens.access_token)).active).toBe(false);
    const asked = await browser.open((await authorizationRequest(third.config)).url);
    expect(new URL(asked.url).pathname).toMatch(/^\/consent\//);
  });

  it("signing out of Ticketgate ends the refresh tokens the apps got in that session", async () => {
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser);
    // What the sign-out button does (lib/sessions/session.server.ts closeSession).
    await invalidateSession(h.t.db, browser.jar.get(sessionCookieFor(h.base).name)!);
    await expect(client.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(app.config, tokens.access_token)).active).toBe(false);
  });

  it("a new client secret works at once and the old one is refused", async () => {
    const rotated = await registerApp(h);
    const browser = await signedInBrowser(h, user.id);
    const { tokens } = await signIn(browser, rotated.config);
    const secret = await rotateOidcClientSecret(h.t.db, AUTH_SECRET, rotated.id);
    await expect(client.refreshTokenGrant(rotated.config, tokens.refresh_token!)).rejects.toMatchObject({ status: 401, cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: "invalid_client" }) })] });
    const renewed = await client.discovery(new URL(h.base), rotated.id, { redirect_uris: [REDIRECT_URI] }, client.ClientSecretPost(secret!), { execute: [client.allowInsecureRequests] });
    expect((await client.refreshTokenGrant(renewed, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  it("a person who does not allow the app is sent back to it with access_denied and no code", async () => {
    const third = await registerApp(h, { firstParty: false });
    const browser = await signedInBrowser(h, user.id);
    const request = await authorizationRequest(third.config);
    const asked = await browser.open(request.url);
    const uid = new URL(asked.url).pathname.split("/")[2];
    // What the consent page's "Don't allow" goes on to (app/consent/[uid]/continue).
    const back = await browser.open(`${h.base}/oidc/interaction/${uid}/abort`);
    expect(back.left).toBe(true);
    const answer = new URL(back.url);
    expect(answer.origin + answer.pathname).toBe(REDIRECT_URI);
    expect(answer.searchParams.get("error")).toBe("access_denied");
    expect(answer.searchParams.get("state")).toBe(request.state);
    expect(answer.searchParams.get("code")).toBeNull();
    // Another browser cannot answer someone else's interaction.
    const stranger = await signedInBrowser(h, user.id);
    const theirs = await stranger.open(`${h.base}/oidc/interaction/${uid}`);
    expect(theirs.status).toBe(400);
  });

  it("prompt=login asks for a sign-in made after the app asked; auth_time is when the person signed in", async () => {
    const browser = await signedInBrowser(h, user.id);
    // max_age makes the ID token carry auth_time.
    const { tokens } = await signIn(browser, app.config, { max_age: "3600" });
    const signedInAt = (await h.t.db.session.findUniqueOrThrow({ where: { id: browser.sessionId } })).createdAt;
    expect(tokens.claims()!.auth_time).toBe(Math.floor(signedInAt.getTime() / 1000));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const request = await authorizationRequest(app.config, { prompt: "login consent", max_age: "3600" });
    const asked = await browser.open(request.url);
    expect(new URL(asked.url).pathname).toBe("/login");
    const uid = new URL(asked.url).searchParams.get("next")!.split("/")[2];
    // Signing in again opens a new session (lib/sessions/session.server.ts).
    const again = await signedInBrowser(h, user.id);
    for (const [name, value] of again.jar) browser.jar.set(name, value);
    const landed = await browser.open(`${h.base}/oidc/interaction/${uid}`);
    expect(landed.left).toBe(true);
    const fresh = await client.authorizationCodeGrant(app.config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(fresh.claims()!.auth_time).toBeGreaterThan(tokens.claims()!.auth_time!);
  });

  it("max_age is the age of the person's sign-in: ten minutes old is enough for an hour, not for five minutes", async () => {
    const person = await newUser(h, `max-age-${engine}@example.com`);
    const browser = await signedInBrowser(h, person.id);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await h.t.db.session.update({ where: { id: browser.sessionId }, data: { createdAt: tenMinutesAgo } });
    const hourAsked = await authorizationRequest(app.config, { max_age: "3600" });
    const within = await browser.open(hourAsked.url);
    // No sign-in asked: the sign-in is recent enough.
    expect(new URL(within.url).pathname).not.toBe("/login");
    expect(within.left, within.url).toBe(true);
    const fiveMinutes = await authorizationRequest(app.config, { max_age: "300" });
    const tooOld = await browser.open(fiveMinutes.url);
    expect(new URL(tooOld.url).pathname).toBe("/login");
  });

  it("a first-party app the person is signed in to is listed too, and removing it ends its tokens", async () => {
    const own = await registerApp(h, { firstParty: true });
    const person = await newUser(h, `own-${engine}@example.com`);
    const browser = await signedInBrowser(h, person.id);
    expect(await listConsentedApps(h.t.db, person.id)).toEqual([]);
    const { tokens } = await signIn(browser, own.config);
    expect((await listConsentedApps(h.t.db, person.id)).map((a) => a.clientId)).toEqual([own.id]);
    expect(await revokeConsent(h.t.db, person.id, own.id)).toBe(true);
    expect(await listConsentedApps(h.t.db, person.id)).toEqual([]);
    await expect(client.refreshTokenGrant(own.config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
