// The provider's cookies: HttpOnly and SameSite=Lax always, Secure when
// APP_URL is https — even behind a proxy that speaks http to the app, since
// server.ts tells the provider APP_URL's scheme, never the request's.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOidcClient } from "@/lib/oidc/clients";
import { createOidcHandler } from "@/lib/oidc/http";
import { createOidcProvider } from "@/lib/oidc/provider";

import { type TestDatabase, createTestDatabase } from "../support/databases";

const SECRET = "cookie-secret-cookie-secret-cookie-0123";

describe.each(["https://tg.example", "http://tg.example"])("the provider's cookies with APP_URL %s", (appUrl) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let clientId = "";

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    const handle = createOidcHandler({ provider: await createOidcProvider({ db: t.db, config: { APP_URL: appUrl, AUTH_SECRET: SECRET, OIDC_REFRESH_TOKEN_DAYS: 14, SESSION_MAX_AGE_DAYS: 30 } }), db: t.db, appUrl });
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    clientId = (await createOidcClient(t.db, SECRET, { name: "c", redirectUris: ["https://app.example/cb"] })).client.id;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.drop();
  });

  it("sets its interaction cookies HttpOnly, SameSite=Lax, Secure exactly over https, and redirects within APP_URL", async () => {
    const query = new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid", redirect_uri: "https://app.example/cb", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", state: "s" });
    const res = await fetch(`${base}/oidc/auth?${query}`, { redirect: "manual", headers: { "X-Forwarded-Proto": appUrl.startsWith("https") ? "http" : "https" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^(${appUrl.replace(/[.]/g, "\\\\.")})?/oidc/interaction/[A-Za-z0-9_-]{43}$`));
    const cookies = res.headers.getSetCookie().filter((line) => line.startsWith("tg_oidc_"));
    expect(cookies.length).toBeGreaterThan(0);
    for (const line of cookies) {
      expect(line).toMatch(/; httponly/i);
      expect(line).toMatch(/; samesite=lax/i);
      if (appUrl.startsWith("https")) expect(line).toMatch(/; secure/i);
      else expect(line).not.toMatch(/; secure/i);
    }
  });
});
