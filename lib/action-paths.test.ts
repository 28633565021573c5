import { describe, expect, it } from "vitest";

import { describeAction } from "./action-paths";

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
