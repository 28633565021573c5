// The same-origin rule for state-changing requests (docs/design.md, "Cross-site
// requests change nothing"), shared by server.ts's edge check and the server
// actions' own check.
//
// Browsers send `Origin` on every form POST. It is APP_URL's origin for our own
// pages — but `null` when the page's Referrer-Policy is `no-referrer`, or when
// the form sits in a sandboxed frame or a privacy setting hides it. A bare
// `null` cannot tell a sandboxed attacker's frame from our own page, so it is
// accepted only when the browser also says `Sec-Fetch-Site: same-origin`, a
// header pages cannot set or forge.

export interface OriginHeaders {
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
}

/**
 * Whether a request comes from a page of `appOrigin` (APP_URL, which lib/env.ts
 * reduces to an origin), as far as a browser tells. Missing headers (a
 * non-browser client) are not same-origin.
 */
export function isSameOriginRequest(headers: OriginHeaders, appOrigin: string): boolean {
  const { origin, secFetchSite } = headers;
  if (origin === appOrigin) return true;
  return origin === "null" && secFetchSite === "same-origin";
}

/**
 * Whether a request that changes something must be refused at the edge: a
 * browser said it came from another site. A request without `Origin` passes
 * here (it is not from a browser's form) and meets the actions' own check.
 */
export function isCrossSiteRequest(headers: OriginHeaders, appOrigin: string): boolean {
  if (headers.origin === undefined || headers.origin === null) return false;
  return !isSameOriginRequest(headers, appOrigin);
}
