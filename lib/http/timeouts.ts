// How long a client may take to send a request.
//
// Node's defaults let headers trickle in for 60 s and a body for 5 minutes,
// and look for late requests only every 30 s: a handful of slow clients could
// hold sockets — and form-guard.ts's buffer of a form's body — for minutes.
// server.ts passes these options to createServer (the checking interval can
// only be set there). A request past its time gets a 408 and its connection
// is closed; the handler reading its body sees the stream end with an error.
import type { ServerOptions } from "node:http";

export interface RequestTimeouts {
  /** Headers and body received within this. */
  requestMs: number;
  /** Headers received within this (at most requestMs). */
  headersMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** How often Node looks for requests past their time; a limit is enforced up to this much late. */
  checkEveryMs: number;
}

/** Forms here are small (form-guard.ts caps them near 1 MB): 30 s is plenty even on a slow phone. */
export const REQUEST_TIMEOUTS: RequestTimeouts = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000, checkEveryMs: 1_000 };

export function timeoutOptions(timeouts: RequestTimeouts = REQUEST_TIMEOUTS): ServerOptions {
  return {
    requestTimeout: timeouts.requestMs,
    headersTimeout: timeouts.headersMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  };
}
