import { describe, expect, it } from "vitest";

import { ticketHistory } from "./history";
import type { EventKind, TicketEventRecord, TicketRecord } from "./types";

const T0 = new Date("2026-12-02T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function ticket(overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    id: "t1",
    tokenHash: "h".repeat(64),
    type: "login",
    email: "ada@example.com",
    userId: null,
    projectId: null,
    domain: "default",
    data: null,
    payload: null,
    maxUses: 1,
    usesLeft: 1,
    useCount: 0,
    openCount: 0,
    expiresAt: null,
    state: "open",
    reason: null,
    supersededById: null,
    requestedFromIp: "192.0.2.1",
    requestedFromUa: "asking browser",
    lastUsedAt: null,
    lastUsedIp: null,
    lastUsedUa: null,
    endedAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const event = (kind: EventKind, when: Date, id: string = kind): TicketEventRecord => ({ id, ticketId: "t1", kind, at: when, ip: null, userAgent: null, detail: null });
const used = { maxUses: 1, usesLeft: 0, useCount: 1, state: "closed", lastUsedIp: "192.0.2.9", lastUsedUa: "phone" } as const;

describe("a ticket's history from its row and its events", () => {
  it("begins with its issue, from the row: when, and from where it was asked for", () => {
    expect(ticketHistory(ticket(), [])).toEqual([{ id: "t1:issued", ticketId: "t1", kind: "issued", at: T0, ip: "192.0.2.1", userAgent: "asking browser", detail: null }]);
  });

  it("puts the use of a ticket of one use where it happened, from the row", () => {
    const history = ticketHistory(ticket({ ...used, lastUsedAt: at(20), endedAt: at(20) }), [event("opened", at(10)), event("refused", at(30))]);
    expect(history.map((e) => e.kind)).toEqual(["issued", "opened", "used", "refused"]);
    expect(history[2]).toMatchObject({ at: at(20), ip: "192.0.2.9", userAgent: "phone" });
  });

  it("at one instant, looks and approvals come before the use and refusals after it", () => {
    const now = at(5);
    const stored = [event("opened", now, "a"), event("opened_elsewhere", now, "b"), event("approved", now, "c"), event("refused", now, "d"), event("opened", at(6), "e")];
    expect(ticketHistory(ticket({ ...used, lastUsedAt: now }), stored).map((e) => e.kind)).toEqual(["issued", "opened", "opened_elsewhere", "approved", "used", "refused", "opened"]);
  });

  it("has no use before one happened, and leaves a ticket of several uses to its stored events", () => {
    expect(ticketHistory(ticket(), [event("opened", at(1))]).map((e) => e.kind)).toEqual(["issued", "opened"]);
    const several = ticket({ maxUses: 3, usesLeft: 1, useCount: 2, lastUsedAt: at(9) });
    expect(ticketHistory(several, [event("used", at(4), "u1"), event("used", at(9), "u2")]).map((e) => e.kind)).toEqual(["issued", "used", "used"]);
  });
});
