// The HTTP server: Next.js behind a thin node:http layer.
//
// Route handlers and server actions cannot see the TCP peer address, and a
// client can send any X-Forwarded-For it likes. This layer writes the socket's
// address into a private header on every request, overwriting whatever the
// client sent under that name, so rate limits and ticket history use an
// address the client cannot choose (lib/http/request.server.ts). Unless a proxy we
// run is declared (TRUST_PROXY), X-Forwarded-* headers are the client's
// inventions and are dropped before Next.js sees them.
// See docs/decisions/0007-a-thin-node-http-layer-in-front-of-next.md.
import "./scripts/load-env";

import { createServer } from "node:http";

import next from "next";

import { createApiHandler } from "./lib/api/handler";
import { createKeyResolver, createLiveTicketCounter } from "./lib/api/projects";
import { type Env, EnvError, env } from "./lib/env";
import { checkMultipart, isMultipart } from "./lib/http/form-guard";
import { answerOutagesWith503, createOutageProbe } from "./lib/http/outage";
import { crossSiteRefusal, sendRefusal } from "./lib/http/refusal-page";
import { isCrossSiteRequest } from "./lib/http/same-origin";
import { pageSecurityHeaders } from "./lib/http/security-headers";
import { timeoutOptions } from "./lib/http/timeouts";
import { log, redactPath } from "./lib/log";
import { createOidcHandler, isOidcPath } from "./lib/oidc/http";
import { createOidcProvider } from "./lib/oidc/provider";
import { UnsealError } from "./lib/oidc/seal";
import { runtime } from "./lib/runtime";
import { CLIENT_IP_HEADER } from "./lib/http/client-ip-header";

let config: Env;
try {
  config = env();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
const trustProxy = config.TRUST_PROXY;
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";

const app = next({ dev, port, hostname: "localhost", turbopack: dev });
await app.prepare();
const handle = app.getRequestHandler();

// The process's runtime (lib/runtime), shared with the pages Next.js renders.
const { db, tickets, ping } = runtime();
// The /v1 API's hot path never enters Next.js (decision 7).
const handleApi = createApiHandler({ tickets, keys: createKeyResolver(db), live: createLiveTicketCounter(db), trustProxy, onError: (error) => log("error", "api.error", { error: error instanceof Error ? error.message : String(error) }) });

// The OpenID Connect provider (lib/oidc, decision 20): /oidc/* and the discovery document.
// Its signing keys are sealed with AUTH_SECRET; another secret cannot open them (README, "If AUTH_SECRET changes").
const oidcProvider = await createOidcProvider({ db, config }).catch((error: unknown) => {
  console.error(error instanceof UnsealError ? `The OpenID Connect signing keys cannot be read: ${error.message}` : error);
  process.exit(1);
});
const handleOidc = createOidcHandler({
  provider: oidcProvider,
  db,
  appUrl: config.APP_URL,
  onError: (error) => log("error", "oidc.error", { error: error instanceof Error ? error.message : String(error) }),
});

const logRequests = config.LOG_REQUESTS;
// While the database does not answer, pages answer 503 instead of 500 (lib/http/outage.ts).
const outage = createOutageProbe(ping);

/** One value of a header Node may give as a list. */
function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// A request (a form's body too) that trickles in is cut off after 30 s, its headers after 10 s (lib/http/timeouts.ts).
const server = createServer(timeoutOptions(), (req, res) => {
  if (logRequests) {
    const started = process.hrtime.bigint();
    // The path only, ticket values replaced (lib/log.ts); never a body or a query string.
    res.once("finish", () =>
      log("info", "request", { method: req.method, path: redactPath(req.url), status: res.statusCode, ms: Number((process.hrtime.bigint() - started) / 100_000n) / 10, ip: req.socket.remoteAddress ?? null }),
    );
  }
  if (req.url?.startsWith("/v1/")) return void handleApi(req, res);
  // The provider checks its own requests (client authentication, its logout
  // form's token); apps' servers and browsers post to it from other origins.
  if (isOidcPath(req.url)) {
    answerOutagesWith503(res, outage.isDown, () => void outage.probeNow());
    return void handleOidc(req, res);
  }
  // Cross-site POSTs stop here with a 403 page (lib/http/same-origin.ts). The
  // server actions check the origin again, and a POST without Origin — not
  // from a browser — still meets those checks. Next.js alone would answer 500.
  if (req.method === "POST" && isCrossSiteRequest({ origin: req.headers.origin, secFetchSite: header(req.headers["sec-fetch-site"]) }, config.APP_URL)) {
    req.resume();
    return void sendRefusal(res, crossSiteRefusal(config.APP_URL));
  }
  // A same-origin form whose page hid its origin (Origin: null, Sec-Fetch-Site:
  // same-origin) passed the check above; Next.js's own server-action check
  // compares Origin with Host and would answer 500, so it gets the origin
  // the browser vouched for.
  if (req.method === "POST" && req.headers.origin === "null") req.headers.origin = config.APP_URL;
  answerOutagesWith503(res, outage.isDown, () => void outage.probeNow());
  // Next.js takes the scripts' nonce from the request's policy (lib/http/security-headers.ts).
  const security = pageSecurityHeaders({ appUrl: config.APP_URL, dev });
  for (const [name, value] of Object.entries(security.headers)) res.setHeader(name, value);
  req.headers["content-security-policy"] = security.headers["Content-Security-Policy"];
  delete req.headers["content-security-policy-report-only"];
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
  if (!trustProxy) for (const name of FORWARDED) delete req.headers[name];
  // A malformed multipart body gets a 400 here; Next.js would answer 500 (lib/http/form-guard.ts).
  if (req.method === "POST" && isMultipart(req.headers["content-type"])) {
    void checkMultipart(req, res).then((checked) => checked && handle(checked, res));
    return;
  }
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`Ticketgate ${dev ? "(development) " : ""}listening on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`);
  log("info", "server.listening", { port, host: hostname, mode: dev ? "development" : "production" });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections may hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
