// The provider on server.ts's node:http layer: /oidc/* and the discovery
// document go to oidc-provider; /oidc/interaction/<uid> is ours — it finishes
// the provider's login from the browser's Ticketgate session (or sends the
// browser to the normal sign-in, which comes back here) and its consent from
// the person's remembered consent (or sends them to /consent/<uid> first).
import type { IncomingMessage, ServerResponse } from "node:http";

import type Provider from "oidc-provider";

import type { Db } from "@/lib/db/client";
import { sendRefusal } from "@/lib/http/refusal-page";

import { consentCovers, scopeList } from "./consents";
import { interactionActionPathFor } from "./paths";
import { OIDC_PREFIX } from "./provider";
import { liveSessionFromCookies } from "./ticketgate-session";


const INTERACTION = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})(\/abort)?$/;

/** Whether server.ts hands this path to the provider. */
export function isOidcPath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split("?")[0]!;
  return path === "/.well-known/openid-configuration" || path === OIDC_PREFIX || path.startsWith(`${OIDC_PREFIX}/`);
}

export interface OidcHandlerDeps {
  provider: Provider;
  db: Db;
  appUrl: string;
  onError?: (error: unknown) => void;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, "Cache-Control": "no-store", "Content-Length": "0" });
  res.end();
}

export function createOidcHandler(deps: OidcHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { provider, db, appUrl } = deps;
  const base = new URL(appUrl);
  const callback = provider.callback();
  // The provider answers its own errors; the ones that are bugs or outages are logged.
  provider.on("server_error", (_ctx: unknown, error: unknown) => deps.onError?.(error));

  const expired = (res: ServerResponse) =>
    sendRefusal(res, {
      status: 400,
      title: "This sign-in request has ended",
      message: "The app's sign-in request expired, was already completed, or was started in another browser. Go back to the app and sign in again.",
      back: { href: `${appUrl}/`, label: "Go to Ticketgate" },
    });

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, abort: boolean): Promise<void> {
    let details: Awaited<ReturnType<Provider["interactionDetails"]>>;
    try {
      // Reads the interaction through its cookie, so only the browser that started it gets here.
      details = await provider.interactionDetails(req, res);
    } catch {
      return expired(res);
    }
    if (details.uid !== uid) return expired(res);
    if (abort) {
      await provider.interactionFinished(req, res, { error: "access_denied", error_description: "The person did not allow the app to sign them in." }, { mergeWithLastSubmission: false });
      return;
    }
    const session = await liveSessionFromCookies(db, appUrl, req.headers.cookie);
    // prompt=login asks for a sign-in made after the app asked; max_age for one
    // at most that many seconds old (the provider asks for max_age whenever
    // its own session is new, so the Ticketgate session's age decides).
    const maxAge = Number(details.params.max_age);
    const signedInAfter = Math.max(
      details.prompt.reasons.includes("login_prompt") ? (details.iat ?? 0) * 1000 : 0,
      details.params.max_age !== undefined && Number.isFinite(maxAge) ? Date.now() - maxAge * 1000 : 0,
    );
    if (!session || session.createdAt.getTime() < signedInAfter) return redirect(res, `/login?next=${encodeURIComponent(interactionActionPathFor(uid))}`);

    const clientId = String(details.params.client_id);
    const client = await db.oidcClient.findUnique({ where: { id: clientId }, select: { firstParty: true } });
    if (!client) return expired(res);
    const scopes = scopeList(details.params.scope);
    if (!client.firstParty && !(await consentCovers(db, session.userId, clientId, scopes))) return redirect(res, `/consent/${uid}`);

    // The grant of this Ticketgate session, or a new one tied to it (lib/oidc/provider.ts).
    let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    if (grant) {
      const row = await db.oidcPayload.findUnique({ where: { kind_id: { kind: "Grant", id: details.grantId! } }, select: { sessionId: true } });
      if (grant.accountId !== session.userId || grant.clientId !== clientId || row?.sessionId !== session.id) grant = undefined;
    }
    grant ??= new provider.Grant({ accountId: session.userId, clientId });
    grant.addOIDCScope(scopes.join(" "));
    const missing = details.prompt.details as { missingOIDCClaims?: string[] };
    if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await db.oidcPayload.updateMany({ where: { kind: "Grant", id: grantId }, data: { sessionId: session.id } });
    await provider.interactionFinished(req, res, { login: { accountId: session.userId, ts: Math.floor(session.createdAt.getTime() / 1000) }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  return async (req, res) => {
    // The provider writes URLs (discovery, redirects) from the request; these
    // make them APP_URL's, whatever Host or X-Forwarded-* the client sent.
    req.headers.host = base.host;
    req.headers["x-forwarded-host"] = base.host;
    req.headers["x-forwarded-proto"] = base.protocol.slice(0, -1);
    delete req.headers["x-forwarded-port"];
    delete req.headers.forwarded;
    req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    const path = (req.url ?? "/").split("?")[0]!;
    const match = INTERACTION.exec(path);
    if (match && req.method === "GET") {
      try {
        await interaction(req, res, match[1]!, !!match[2]);
      } catch (error) {
        deps.onError?.(error);
        if (!res.headersSent) {
          res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
          res.end("Something went wrong. Go back to the app and try again.");
        }
      }
      return;
    }
    if (match) {
      res.writeHead(405, { Allow: "GET" });
      res.end();
      return;
    }
    await callback(req, res);
  };
}
