// The table of ticket kinds: each type's lifetime comes from its own setting,
// and what the flows and pages read from it is complete and well-formed.
import { existsSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { type KindConfig, type MailedType, TICKET_KINDS, issueRules, purposeLabel, purposeOf, ttlSeconds } from "./kinds";
import { TICKET_TYPES } from "./types";

const MAILED = TICKET_TYPES.filter((type): type is MailedType => type !== "api");
/** Distinct values, so a kind reading another kind's setting shows. */
const CONFIG: KindConfig = { LOGIN_TICKET_TTL_MINUTES: 15, PASSWORD_RESET_TTL_MINUTES: 45, SIGNUP_TTL_HOURS: 24, EMAIL_CHANGE_TTL_DAYS: 3 };

describe("ticket kinds", () => {
  it("every type has a row", () => {
    expect(Object.keys(TICKET_KINDS).sort()).toEqual([...TICKET_TYPES].sort());
  });

  it("each mailed type lives as long as its own setting says", () => {
    expect(Object.fromEntries(MAILED.map((type) => [type, ttlSeconds(type, CONFIG)]))).toEqual({
      login: 15 * 60,
      password_reset: 45 * 60,
      new_account: 24 * 3600,
      email_change_new: 3 * 86_400,
      email_change_old: 3 * 86_400,
    });
  });

  it("issueRules gives tickets.issue the type, lifetime, one use and whether a newer one supersedes", () => {
    expect(issueRules("login", CONFIG)).toEqual({ type: "login", ttlSeconds: 900, uses: 1, supersede: true });
    expect(issueRules("password_reset", CONFIG)).toEqual({ type: "password_reset", ttlSeconds: 2700, uses: 1, supersede: true });
    expect(issueRules("new_account", CONFIG)).toMatchObject({ supersede: true });
    // An e-mail change is withdrawn as a pair; superseding would take a confirmed change's undo link away.
    expect(issueRules("email_change_new", CONFIG)).toMatchObject({ supersede: false });
    expect(issueRules("email_change_old", CONFIG)).toMatchObject({ supersede: false });
  });

  it("only sign-in links may be sent afresh from their own page", () => {
    expect(TICKET_TYPES.filter((type) => TICKET_KINDS[type].refreshable)).toEqual(["login"]);
  });

  it("each mailed type names a mail template that exists and a page of this site to ask again", () => {
    for (const type of MAILED) {
      const kind = TICKET_KINDS[type];
      expect(existsSync(path.join(import.meta.dirname, "../../emails", `${kind.template}.ts`)), kind.template).toBe(true);
      expect(kind.again.href).toMatch(/^\/[a-z]+$/);
      expect(kind.again.label).toMatch(/^[A-Z][a-z ]+$/);
    }
    expect(TICKET_KINDS.api).toMatchObject({ ttl: null, uses: null, template: null, again: null });
  });

  it("purposes are words people read, one per type, never the type's name", () => {
    const purposes = TICKET_TYPES.map(purposeOf);
    expect(new Set(purposes).size).toBe(TICKET_TYPES.length);
    for (const [i, purpose] of purposes.entries()) {
      expect(purpose).toMatch(/^[a-z][a-z -]+[a-z]$/);
      expect(purpose).not.toContain(TICKET_TYPES[i]);
    }
    expect(purposeLabel("login")).toBe("Sign-in link");
    expect(purposeLabel("email_change_old")).toBe("E-mail change cancellation link");
  });
});
