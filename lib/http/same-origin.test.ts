// rule "Cross-site requests change nothing" (docs/design.md).
import { describe, expect, it } from "vitest";

import { isCrossSiteRequest, isSameOriginRequest } from "./same-origin";

const APP = "https://auth.example.com";

describe("isSameOriginRequest", () => {
  it("accepts APP_URL's origin", () => {
    expect(isSameOriginRequest({ origin: APP, secFetchSite: undefined }, APP)).toBe(true);
    expect(isSameOriginRequest({ origin: APP, secFetchSite: "same-origin" }, APP)).toBe(true);
  });

  it("accepts Origin: null only when the browser says the request is same-origin", () => {
    expect(isSameOriginRequest({ origin: "null", secFetchSite: "same-origin" }, APP)).toBe(true);
    // A sandboxed frame on another site sends Origin: null with cross-site.
    expect(isSameOriginRequest({ origin: "null", secFetchSite: "cross-site" }, APP)).toBe(false);
    expect(isSameOriginRequest({ origin: "null", secFetchSite: "same-site" }, APP)).toBe(false);
    expect(isSameOriginRequest({ origin: "null", secFetchSite: undefined }, APP)).toBe(false);
  });

  it("refuses other origins, look-alikes and a missing Origin", () => {
    for (const origin of ["https://evil.example", "http://auth.example.com", "https://auth.example.com:444", "https://auth.example.com.evil.example", `${APP}/`, "", undefined, null]) {
      expect(isSameOriginRequest({ origin, secFetchSite: "cross-site" }, APP), String(origin)).toBe(false);
    }
  });
});

describe("isCrossSiteRequest (server.ts's edge check)", () => {
  it("refuses what a browser says came from elsewhere", () => {
    expect(isCrossSiteRequest({ origin: "https://evil.example", secFetchSite: "cross-site" }, APP)).toBe(true);
    expect(isCrossSiteRequest({ origin: "null", secFetchSite: "cross-site" }, APP)).toBe(true);
    expect(isCrossSiteRequest({ origin: "null", secFetchSite: undefined }, APP)).toBe(true);
  });

  it("lets through our own pages, and requests without Origin (the actions refuse those themselves)", () => {
    expect(isCrossSiteRequest({ origin: APP, secFetchSite: "same-origin" }, APP)).toBe(false);
    expect(isCrossSiteRequest({ origin: "null", secFetchSite: "same-origin" }, APP)).toBe(false);
    expect(isCrossSiteRequest({ origin: undefined, secFetchSite: undefined }, APP)).toBe(false);
  });
});
