// What the ticket page says about a ticket it cannot use, per ticket type.
import { describe, expect, it } from "vitest";

import { problemOf } from "@/app/_components/ticket/problem";
import type { TicketView } from "@/lib/tickets";

function view(type: TicketView["type"], extra: Partial<TicketView> = {}): TicketView {
  const at = new Date("2026-11-24T10:00:00Z");
  return {
    id: "t1", hashPrefix: "abcd1234", type, email: "ada@example.com", userId: null, projectId: null, domain: "auth.example.com", data: null, payload: null,
    maxUses: 1, usesLeft: 0, useCount: 1, openCount: 0, expiresAt: null, status: "closed", reason: null, supersededById: null, requestedFromIp: null,
    requestedFromUa: null, lastUsedAt: at, lastUsedIp: "192.0.2.9", lastUsedUa: null, endedAt: at, createdAt: at, updatedAt: at, ...extra,
  };
}

describe("problemOf", () => {
  it("sign-in links keep their texts and the new-link offer", () => {
    expect(problemOf("expired", view("login"))).toMatchObject({ kind: "expired", purpose: "login", canRefresh: true, address: "a•a@example.com" });
    expect(problemOf("closed", view("login"))).toMatchObject({ kind: "closed", usedFrom: "192.0.2.9", canRefresh: true });
  });

  it("shows the address in full to the browser that asked, masked to anyone else", () => {
    expect(problemOf("closed", view("login"), "asker").address).toBe("ada@example.com");
    expect(problemOf("closed", view("login"), "anyone").address).toBe("a•a@example.com");
    expect(problemOf("expired", view("password_reset")).address).toBe("a•a@example.com");
  });

  it("account tickets say what happened, never offer a sign-in link for them", () => {
    for (const type of ["password_reset", "new_account", "email_change_new", "email_change_old"] as const) {
      expect(problemOf("expired", view(type))).toMatchObject({ kind: "expired", purpose: type, canRefresh: false });
      expect(problemOf("revoked", view(type))).toMatchObject({ kind: "revoked", purpose: type, canRefresh: false });
    }
  });

  it("unknown, API and (oddly) open tickets get the generic answer with nothing about the ticket", () => {
    expect(problemOf("unknown", null)).toMatchObject({ kind: "unknown", purpose: null, address: null });
    expect(problemOf("closed", view("api"))).toMatchObject({ kind: "unknown", purpose: null, address: null });
    expect(problemOf("open", view("password_reset"))).toMatchObject({ kind: "unknown", purpose: null });
  });
});
