import { describe, expect, it } from "vitest";

import { type Health, isMonitoring, publicHealth } from "./health";

const TOKEN = "monitoring-token-monitoring-token-0123";

describe('rule "Same answer for known and unknown addresses": the mail queue\'s figures are not public', () => {
  const health: Health = { status: "ok", database: { engine: "sqlite", reachable: true }, mail: { due: 3, failed: 1, oldestDueSeconds: 40 } };

  it("the public answer is up or down and the engine, without the outbox", () => {
    expect(publicHealth(health)).toEqual({ status: "ok", database: { engine: "sqlite", reachable: true } });
    expect(publicHealth({ status: "unavailable", database: { engine: "postgresql", reachable: false }, mail: null })).toEqual({ status: "unavailable", database: { engine: "postgresql", reachable: false } });
  });

  it("monitoring is the exact bearer token, and nobody when no token is configured", () => {
    expect(isMonitoring(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    for (const header of [null, "", TOKEN, `bearer ${TOKEN}`, `Bearer ${TOKEN} `, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, "Bearer "]) {
      expect(isMonitoring(header, TOKEN), String(header)).toBe(false);
    }
    expect(isMonitoring("Bearer ", undefined)).toBe(false);
    expect(isMonitoring("Bearer undefined", undefined)).toBe(false);
  });
});
