// The OpenID Connect provider as server.ts mounts it (lib/oidc/http.ts) on a
// real node:http server over a real database, and a tiny browser: a cookie
// jar that follows redirects until they leave for the app's redirect URI.
// Sign-in itself is Ticketgate's (tested elsewhere); here a browser "signs
// in" by holding a session cookie made by lib/sessions/sessions.ts.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import * as client from "openid-client";

import { createOidcClient } from "@/lib/oidc/clients";
import { createOidcHandler, isOidcPath } from "@/lib/oidc/http";
import { createOidcProvider } from "@/lib/oidc/provider";
import { createSession } from "@/lib/sessions/sessions";
import { sessionCookieFor } from "@/lib/sessions/session-token";

import { type TestDatabase, createTestDatabase } from "../support/databases";
import type { Engine } from "@/lib/db/engine";

export const AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
export const RP = "http://rp.example.test";
export const REDIRECT_URI = `${RP}/callback`;
export const POST_LOGOUT_URI = `${RP}/signed-out`;

export interface OidcHarness {
  t: TestDatabase;
  base: string;
  server: Server;
  close(): Promise<void>;
}

export async function startOidc(engine: Engine): Promise<OidcHarness> {
  const t = await createTestDatabase(engine);
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  const server = createServer((req, res) => {
    if (handle && isOidcPath(req.url)) return void handle(req, res);
    // Ticketgate's pages are Next.js's; here they only need to exist.
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`page ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = await createOidcProvider({ db: t.db, config: { APP_URL: base, AUTH_SECRET, OIDC_REFRESH_TOKEN_DAYS: 14, SESSION_MAX_AGE_DAYS: 30 } });
  handle = createOidcHandler({ provider, db: t.db, appUrl: base });
  return {
    t,
    base,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.drop();
    },
  };
}

export async function newUser(h: OidcHarness, email: string, name: string | null = "Ada Lovelace") {
  return h.t.db.user.create({ data: { email, name, emailVerified: new Date() } });
}

/** A browser signed in to Ticketgate as `userId`: its session cookie, and the session row's id. */
export async function signedInBrowser(h: OidcHarness, userId: string): Promise<Browser & { sessionId: string }> {
  const token = await createSession(h.t.db, userId, new Date(Date.now() + 86_400_000), { ip: "127.0.0.1" });
  if (!token) throw new Error("no session");
  const row = await h.t.db.session.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
  const browser = new Browser(h.base);
  browser.jar.set(sessionCookieFor(h.base).name, token);
  return Object.assign(browser, { sessionId: row.id });
}

export class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now());
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.remember(res);
    return res;
  }

  /** Follows redirects within Ticketgate; returns the first answer that is not one, or the address a redirect leaves for. */
  async open(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; body: string; left: boolean }> {
    let res = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) return { url: current, status: res.status, body: await res.text(), left: false };
      await res.arrayBuffer();
      const next = new URL(location, current).href;
      if (!next.startsWith(this.base)) return { url: next, status: res.status, body: "", left: true };
      current = next;
      res = await this.request(current);
    }
    throw new Error("too many redirects");
  }
}

export async function registerApp(h: OidcHarness, options: { public?: boolean; firstParty?: boolean; name?: string } = {}) {
  const { client: row, clientSecret } = await createOidcClient(h.t.db, AUTH_SECRET, {
    name: options.name ?? `app-${Math.random().toString(36).slice(2, 8)}`,
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
    public: options.public,
    firstParty: options.firstParty ?? true,
  });
  const auth = clientSecret ? client.ClientSecretBasic(clientSecret) : client.None();
  const config = await client.discovery(new URL(h.base), row.id, { redirect_uris: [REDIRECT_URI] }, auth, { execute: [client.allowInsecureRequests] });
  return { id: row.id, clientSecret, config };
}

/** An authorization request with PKCE, state and nonce, as a relying party makes it. */
export async function authorizationRequest(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid email profile offline_access",
    prompt: "consent",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url: url.href, verifier, state, nonce };
}
