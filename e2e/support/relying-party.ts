// A small app that signs people in through Ticketgate, as any relying party
// would: plain node:http and openid-client (code flow with PKCE, state and
// nonce), showing the person's e-mail from userinfo, then RP-initiated logout.
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import * as client from "openid-client";

import { ORIGIN } from "./origin";

interface Visit {
  verifier?: string;
  state?: string;
  nonce?: string;
  email?: string;
  idToken?: string;
}

export interface RelyingParty {
  url: string;
  clientId: string;
  close(): Promise<void>;
}

/** Registers the app with `npm run oidc:client` against the e2e server's database (the command's last line is its JSON). */
function register(name: string, redirectUri: string, postLogoutUri: string): { client_id: string; client_secret: string } {
  const out = execFileSync("npx", ["tsx", "scripts/oidc-client.ts", name, "--redirect-uri", redirectUri, "--post-logout-redirect-uri", postLogoutUri], {
    env: { ...process.env, DATABASE_URL: "file:./data/e2e/app.db", AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret", APP_URL: ORIGIN },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { client_id: string; client_secret: string };
}

const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Example app</title></head><body><main>${body}</main></body></html>`;

export async function startRelyingParty(name: string): Promise<RelyingParty> {
  const visits = new Map<string, Visit>();
  let config: client.Configuration | undefined = undefined;
  let base = "";

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", base);
      const sid = /rp_sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "")?.[1] ?? randomBytes(16).toString("base64url");
      const visit = visits.get(sid) ?? {};
      visits.set(sid, visit);
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Set-Cookie": `rp_sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, ...headers });
        res.end(body);
      };
      if (url.pathname === "/") {
        return send(200, page(visit.email ? `<h1>Signed in as ${visit.email}</h1><a href="/logout">Sign out</a>` : `<h1>Example app</h1><a href="/login">Sign in with Ticketgate</a>`));
      }
      if (url.pathname === "/login") {
        visit.verifier = client.randomPKCECodeVerifier();
        visit.state = client.randomState();
        visit.nonce = client.randomNonce();
        const to = client.buildAuthorizationUrl(config!, {
          redirect_uri: `${base}/callback`,
          scope: "openid email profile",
          code_challenge: await client.calculatePKCECodeChallenge(visit.verifier),
          code_challenge_method: "S256",
          state: visit.state,
          nonce: visit.nonce,
        });
        return send(302, "", { Location: to.href });
      }
      if (url.pathname === "/callback") {
        try {
          const tokens = await client.authorizationCodeGrant(config!, url, { pkceCodeVerifier: visit.verifier, expectedState: visit.state, expectedNonce: visit.nonce, idTokenExpected: true });
          const info = await client.fetchUserInfo(config!, tokens.access_token, tokens.claims()!.sub);
          visit.email = String(info.email);
          visit.idToken = tokens.id_token;
          return send(302, "", { Location: "/" });
        } catch (error) {
          return send(400, page(`<h1>Sign-in failed</h1><p>${String((error as Error).message)}</p>`));
        }
      }
      if (url.pathname === "/logout") {
        const to = client.buildEndSessionUrl(config!, { id_token_hint: visit.idToken ?? "", post_logout_redirect_uri: `${base}/signed-out` });
        visits.delete(sid);
        return send(302, "", { Location: to.href });
      }
      if (url.pathname === "/signed-out") return send(200, page(`<h1>Signed out of the example app</h1>`));
      send(404, page("<h1>Not found</h1>"));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const registered = register(name, `${base}/callback`, `${base}/signed-out`);
  config = await client.discovery(new URL(ORIGIN), registered.client_id, undefined, client.ClientSecretBasic(registered.client_secret), { execute: [client.allowInsecureRequests] });
  return {
    url: base,
    clientId: registered.client_id,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
