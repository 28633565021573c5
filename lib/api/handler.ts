// The /v1 tickets API (Authen-compatible), on bare node:http.
//
// Next.js's route-handler pipeline tops out far below this API's throughput
// goal on our machines, so server.ts hands /v1/* to this handler before
// Next.js sees it. It is thin: parse, authenticate, call the same ticket core
// the pages use, answer. See docs/api.md.
import type { IncomingMessage, ServerResponse } from "node:http";

import { pickClientIp } from "@/lib/http/client-ip";
import type { TicketService } from "@/lib/tickets";
import { API_CODES } from "@/lib/tickets/outcomes";

import { ApiError, type ApiErrorCode } from "./errors";
import { openApiDocument } from "./openapi";
import type { KeyResolver, LiveTicketCounter, ProjectContext } from "./projects";
import { parseCreate, parseTicketRef } from "./validate";

export interface ApiHandlerOptions {
  tickets: TicketService;
  keys: KeyResolver;
  live: LiveTicketCounter;
  trustProxy: boolean;
  /** Bodies above this are refused before parsing (413). Default 1 MiB + a margin for the envelope. */
  maxBodyBytes?: number;
  /** Logs unexpected errors; never called for a client's mistake. Default console.error. */
  onError?: (error: unknown) => void;
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
const ROUTES = new Set(["/v1/tickets", "/v1/tickets/use", "/v1/tickets/delete"]);

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError) {
  const headers: Record<string, string> = error.code === 2001 ? { "WWW-Authenticate": 'Bearer realm="tickets"' } : {};
  if (error.code === 2005 && !res.hasHeader("Allow")) headers.Allow = "POST";
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  send(res, error.status, error.body());
}

function apiKeyOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? (req.headers["x-api-key"] as string | undefined);
  if (!header) return null;
  const match = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Reads the body up to `limit` bytes; a larger one is refused before a byte of it is parsed. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new ApiError(2004));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError(2004));
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(2003);
  }
}

/** Database outages answer 503 with a code, not a stack trace. */
function isDatabaseUnavailable(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${(error as Error)?.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|SQLITE_BUSY|SQLITE_CANTOPEN|Connection terminated|DatabaseNotReachable|P1001|P1017|P2024/i.test(text);
}

export function createApiHandler(options: ApiHandlerOptions) {
  const { tickets, keys, live, trustProxy } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576 + 4_096;
  const onError = options.onError ?? ((error: unknown) => console.error("api: unexpected error", error));

  async function authenticate(req: IncomingMessage): Promise<ProjectContext> {
    const key = apiKeyOf(req);
    const project = key ? await keys.resolve(key) : null;
    if (!project) throw new ApiError(2001);
    if (project.disabled) throw new ApiError(2002);
    return project;
  }

  async function createTicket(project: ProjectContext, body: unknown, req: IncomingMessage) {
    const input = parseCreate(body);
    const ttl = input.ttl ?? project.defaultTtl;
    const issue = () =>
      tickets.issue({
        type: "api",
        projectId: project.projectId,
        payload: input.payload,
        ttlSeconds: ttl === 0 ? null : ttl,
        uses: input.uses === undefined ? 1 : input.uses === 0 ? null : input.uses,
        maxPayloadBytes: project.maxPayloadBytes,
        maxLiveTickets: project.maxLiveTickets,
        requestedFrom: actorOf(req),
      });
    let issued = await issue();
    // The project's counter never undercounts but may overcount (tickets used
    // up, expired or deleted since): refused, recount, and try once more if
    // there is room.
    if (!issued.ok && issued.error.code === "LIMIT_REACHED" && (await live.hasRoom(project.projectId, project.maxLiveTickets, tickets))) issued = await issue();
    if (!issued.ok) {
      if (issued.error.code === "LIMIT_REACHED") throw new ApiError(102009);
      if (issued.error.code === "PAYLOAD_TOO_LARGE") throw new ApiError(102010, undefined, `${issued.error.message}.`);
      throw new Error(`unexpected issue error ${issued.error.code}`);
    }
    return { ticket: issued.value.ticket };
  }

  async function redeemTicket(project: ProjectContext, body: unknown, req: IncomingMessage) {
    const ticket = parseTicketRef(body);
    const result = await tickets.redeemBrief(ticket, { projectId: project.projectId, types: ["api"], actor: actorOf(req) });
    // Unknown, used up, expired, revoked, another project's: one answer, so nothing leaks.
    if (result.result !== "success") throw new ApiError(API_CODES[result.result]);
    if (result.usesLeft === 0) live.freed(project.projectId);
    return { uses: result.usesLeft, payload: result.payload };
  }

  async function deleteTicket(project: ProjectContext, body: unknown) {
    const ticket = parseTicketRef(body);
    const { deleted, usesLeft } = await tickets.delete({ ticket }, { projectId: project.projectId });
    if (deleted) live.freed(project.projectId);
    return { uses: usesLeft, deleted };
  }

  function actorOf(req: IncomingMessage) {
    const forwarded = req.headers["x-forwarded-for"];
    return {
      ip: pickClientIp({ peer: req.socket.remoteAddress, forwardedFor: Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trustProxy }),
      userAgent: req.headers["user-agent"]?.slice(0, 400) ?? null,
    };
  }

  /** Answers /v1/* requests. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "");
    try {
      if (path === "/v1/openapi.json") {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.setHeader("Allow", "GET, HEAD");
          throw new ApiError(2005, undefined, "Method not allowed; the document is read with GET.");
        }
        return send(res, 200, openApiDocument());
      }
      if (!ROUTES.has(path)) throw new ApiError(2006);
      if (req.method !== "POST") throw new ApiError(2005);
      // The key before the body: an anonymous client cannot make us read or parse anything.
      const project = await authenticate(req);
      const body = parseJson(await readBody(req, maxBodyBytes));
      const answer =
        path === "/v1/tickets" ? await createTicket(project, body, req) : path === "/v1/tickets/use" ? await redeemTicket(project, body, req) : await deleteTicket(project, body);
      send(res, 200, answer);
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      if (isDatabaseUnavailable(error)) return sendError(res, new ApiError(5003));
      onError(error);
      sendError(res, new ApiError(5000 as ApiErrorCode));
    }
  };
}
