// The one vocabulary of ticket outcomes: every problem has a page for every
// kind, the words people read never carry internal names, a superseded code
// and a superseded link say the same, and the API gives one code for every refusal.
import { describe, expect, it } from "vitest";

import { API_ERRORS } from "@/lib/api/errors";

import type { MailedType } from "./kinds";
import {
  API_CODES,
  DONE_OUTCOMES,
  type ProblemKind,
  STATE_LABELS,
  type TicketProblem,
  codeRefusal,
  donePath,
  eventLabel,
  isDoneOutcome,
  mayRefresh,
  problemText,
  undoneFrom,
  undoneMessage,
  undonePath,
} from "./outcomes";
import { EVENT_KINDS, TICKET_STATES, TICKET_TYPES } from "./types";

const KINDS: ProblemKind[] = ["expired", "closed", "superseded", "revoked", "unknown", "misused", "throttled", "sent-here"];
const PURPOSES: (MailedType | null)[] = [null, "login", "password_reset", "new_account", "email_change_new", "email_change_old"];

function problem(kind: ProblemKind, purpose: MailedType | null): TicketProblem {
  return { kind, purpose, address: "a•a@example.com", usedAt: "24 Nov 2026, 10:00 UTC", usedFrom: "192.0.2.9", canRefresh: false, waitFor: "12 minutes" };
}

/** Words only the code knows: type and state names, stored action paths, anything with an underscore. */
function internalNames(text: string): string[] {
  const found = [...TICKET_TYPES, "subrequest/", "api", "closed", "superseded"].filter((name) => new RegExp(`(^|[^a-z])${name}([^a-z]|$)`).test(text));
  return text.includes("_") ? [...found, "_"] : found;
}

describe("ticket outcomes", () => {
  it("every problem has a title, a body and a way out for every kind of ticket", () => {
    for (const kind of KINDS) {
      for (const purpose of PURPOSES) {
        const text = problemText(problem(kind, purpose));
        expect(text.title, `${kind} × ${purpose}`).toMatch(/^[A-Z].{8,}[a-z]$/);
        expect(text.body, `${kind} × ${purpose}`).toMatch(/^[A-Z].{10,}\.$/);
        expect(text.again.href).toMatch(/^\/[a-z]+$/);
        expect(text.again.label).toMatch(/^[A-Z]/);
      }
    }
  });

  it("no internal name reaches a person: pages, code refusals, labels, done pages", () => {
    const texts = [
      ...KINDS.flatMap((kind) => PURPOSES.flatMap((purpose) => Object.values(problemText(problem(kind, purpose))).flatMap((v) => (typeof v === "string" ? [v] : [v.label])))),
      ...(["expired", "closed", "error"] as const).flatMap((result) => TICKET_STATES.map((status) => codeRefusal({ result, status }))),
      ...Object.values(STATE_LABELS),
      ...EVENT_KINDS.flatMap((kind) => TICKET_TYPES.map((type) => eventLabel(kind, type, "person"))),
      ...Object.values(DONE_OUTCOMES).flatMap((done) => [done.title, done.message, done.next.label]),
    ];
    for (const text of texts) expect(internalNames(text), text).toEqual([]);
  });

  it("keeps the headings people know the pages by", () => {
    const titles = Object.fromEntries(KINDS.map((kind) => [kind, problemText(problem(kind, "login")).title]));
    expect(titles).toEqual({
      expired: "This link has expired",
      closed: "This link was already used",
      superseded: "A newer link was sent",
      revoked: "This link was cancelled",
      unknown: "This link is not valid",
      misused: "This link was cancelled",
      throttled: "Too many links that do not work",
      "sent-here": "A link for this device is on its way",
    });
  });

  it("names a ticket by its purpose, and sends people where that kind is asked for", () => {
    expect(problemText(problem("expired", "password_reset"))).toEqual({ title: "This link has expired", body: "This password reset link has expired.", again: { href: "/reset", label: "Ask for a new reset link" } });
    expect(problemText(problem("closed", "email_change_old")).body).toBe("This e-mail change cancellation link was already used on 24 Nov 2026, 10:00 UTC from 192.0.2.9. Each link works once.");
    expect(problemText(problem("expired", "login")).body).toContain("a•a@example.com");
    // Nothing known about the ticket: the sign-in page, whatever it was.
    for (const kind of ["unknown", "misused", "throttled"] as const) expect(problemText(problem(kind, "new_account")).again).toEqual({ href: "/login", label: "Ask for a new link" });
  });

  it("a superseded code gets its words from where a superseded link does", () => {
    const link = problemText(problem("superseded", "login")).title;
    expect(codeRefusal({ result: "closed", status: "superseded" })).toBe(`${link}. Use the code in the latest mail.`);
    expect(codeRefusal({ result: "expired", status: "expired" })).toBe("This code has expired. Ask for a new link.");
    expect(codeRefusal({ result: "closed", status: "closed" })).toBe("This code can no longer be used. Ask for a new link.");
    expect(codeRefusal({ result: "error", status: "unknown" })).toBe("This code can no longer be used. Ask for a new link.");
  });

  it("only used or expired sign-in links may be sent afresh", () => {
    const allowed = TICKET_TYPES.flatMap((type) => [...TICKET_STATES, ...KINDS].filter((state) => mayRefresh(state, type)).map((state) => `${type}:${state}`));
    expect(new Set(allowed)).toEqual(new Set(["login:closed", "login:expired"]));
    expect(mayRefresh("expired", null)).toBe(false);
  });

  it("the API answers every refusal with one code, so nothing about the ticket leaks", () => {
    expect(new Set(Object.values(API_CODES))).toEqual(new Set([102011]));
    expect(Object.keys(API_CODES).sort()).toEqual(["closed", "error", "expired", "misused"]);
    expect(API_ERRORS[102011].status).toBe(404);
  });

  it("labels every state and every event, for people and for administrators", () => {
    expect(Object.keys(STATE_LABELS).sort()).toEqual([...TICKET_STATES].sort());
    for (const kind of EVENT_KINDS) for (const type of TICKET_TYPES) for (const audience of ["person", "admin"] as const) expect(eventLabel(kind, type, audience)).toMatch(/^[A-Z]/);
    expect(eventLabel("used", "login", "person")).toBe("Used to sign in");
    expect(eventLabel("used", "password_reset", "person")).toBe("Used");
    expect(eventLabel("opened", "login", "person")).toBe("Opened without signing in");
    expect(eventLabel("opened", "login", "admin")).toBe("Opened without using it");
    expect(eventLabel("superseded", "api", "admin")).toBe("Replaced by a newer ticket");
    expect(eventLabel("superseded", "login", "person")).toBe("Replaced by a newer link");
  });

  it("an undone e-mail change says exactly what was taken away, with each count's own word", () => {
    expect(undoneMessage({ sessions: 2, passwordRemoved: true, tokens: 1 })).toBe(
      "Your account uses this address again. To shut out whoever changed it, 2 sessions were signed out, the password was removed and 1 personal API token was revoked. Sign in with a link mailed to this address, then set a new password on your account page.",
    );
    expect(undoneMessage({ sessions: 1, passwordRemoved: false, tokens: 0 })).toBe(
      "Your account uses this address again. To shut out whoever changed it, 1 session was signed out, the account had no password to remove and there was no personal API token to revoke. Sign in with a link mailed to this address.",
    );
    const path = undonePath({ sessions: 3, passwordRemoved: true, tokens: 2 });
    expect(path).toBe("/done/email-change-undone?sessions=3&password=1&tokens=2");
    expect(undoneFrom(Object.fromEntries(new URL(path, "http://x").searchParams))).toEqual({ sessions: 3, passwordRemoved: true, tokens: 2 });
    // Missing or made up: the page says it without counts.
    expect(undoneFrom({})).toBeNull();
    expect(undoneFrom({ sessions: "-1", password: "1", tokens: "0" })).toBeNull();
    expect(undoneFrom({ sessions: "1", password: "yes", tokens: "0" })).toBeNull();
  });

  it("done pages are reached by name only", () => {
    expect(donePath("email-changed")).toBe("/done/email-changed");
    expect(isDoneOutcome("email-changed")).toBe(true);
    expect(isDoneOutcome("constructor")).toBe(false);
    expect(isDoneOutcome("../login")).toBe(false);
  });
});
