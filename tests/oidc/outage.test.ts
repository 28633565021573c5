// The provider during a database outage answers 503 like the rest of the app
// (lib/http/outage.ts, as server.ts wires it), not 500. The outage is a
// database client whose queries fail, as a dropped connection's do.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { answerOutagesWith503 } from "@/lib/http/outage";
import { createOidcClient } from "@/lib/oidc/clients";
import { createOidcHandler } from "@/lib/oidc/http";
import { createOidcProvider } from "@/lib/oidc/provider";

import { type TestDatabase, createTestDatabase } from "../support/databases";

const SECRET = "outage-secret-outage-secret-outage-0123";

describe("the provider while the database is down", () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let down = false;
  let basic = "";
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    // Every model the provider reads fails while `down`, as a lost connection does.
    const failing = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop !== "string" || prop.startsWith("$") || typeof value !== "object" || value === null) return value;
        return new Proxy(value, { get: (model, method) => (down ? () => Promise.reject(new Error("Can't reach database server")) : Reflect.get(model, method)) });
      },
    }) as Db;
    server = createServer((req, res) => {
      answerOutagesWith503(res, () => down);
      void handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handle = createOidcHandler({ provider: await createOidcProvider({ db: failing, config: { APP_URL: base, AUTH_SECRET: SECRET, OIDC_REFRESH_TOKEN_DAYS: 14, SESSION_MAX_AGE_DAYS: 30 } }), db: failing, appUrl: base, onError: (error) => errors.push(error) });
    const { client, clientSecret } = await createOidcClient(t.db, SECRET, { name: "outage", redirectUris: ["https://app.example/cb"] });
    basic = Buffer.from(`${client.id}:${clientSecret}`).toString("base64");
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.drop();
  });

  const token = () => fetch(`${base}/oidc/token`, { method: "POST", headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&refresh_token=nope" });

  it("answers 503 while down and its usual answer once the database is back", async () => {
    expect((await token()).status).toBe(400);
    down = true;
    const during = await token();
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("5");
    expect(errors.length).toBeGreaterThan(0);
    down = false;
    expect((await token()).status).toBe(400);
  });
});
