import { describe, expect, it } from "vitest";

import { actionPaths, describeAction } from "./action-paths";

describe("where a stored action takes a person, in words", () => {
  it("names each registered action without its path", () => {
    expect(describeAction("account")).toBe("your account");
    expect(describeAction("subrequest/foo")).toBe("joining the list foo");
    expect(describeAction("admin")).toBe("the admin console");
    expect(describeAction("admin/tickets/abc")).toBe("a ticket in the admin console");
    expect(describeAction("admin/users/abc")).toBe("a person in the admin console");
  });

  it("says nothing of a path the registry does not know", () => {
    expect(describeAction("../etc/passwd")).toBeNull();
    expect(describeAction("https://evil.example/")).toBeNull();
    expect(describeAction(null)).toBeNull();
  });
});

// DESIGN.md: "Stored actions are relative paths from a registry" — an app's pending sign-in has a strict pattern of its own.
describe("an app's pending sign-in as a destination", () => {
  const uid = "qub3Dg1TMxdci-YvZSyX-iZEsXJj1E9Zdt78WJlHUSJ";

  it("accepts the provider's interaction id, even one starting with - or _", () => {
    expect(actionPaths.redirectPath(`oidc/interaction/${uid}`)).toBe(`/oidc/interaction/${uid}`);
    expect(actionPaths.check(`oidc/interaction/-${uid.slice(1)}`).ok).toBe(true);
    expect(describeAction(`oidc/interaction/${uid}`)).toBe("signing in to an app");
  });

  it("refuses anything else under oidc/", () => {
    for (const path of [`oidc/interaction/${uid.slice(1)}`, `oidc/interaction/${uid}x`, `oidc/interaction/${uid}/abort`, "oidc/auth", `oidc/interaction/${uid.slice(3)}%2e%2e`, `oidc/interaction/${uid.slice(1)}.`, "oidc/interaction/.."]) {
      expect(actionPaths.check(path).ok, path).toBe(false);
    }
  });
});
