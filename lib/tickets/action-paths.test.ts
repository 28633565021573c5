// docs/design.md, security rules: "Stored actions are relative paths from a
// registry; anything else (`//host`, `/\host`, schemes, encoded variants,
// CRLF) is refused when the ticket is made and again when it is used."
import { describe, expect, it } from "vitest";

import { createActionPathRegistry } from "./action-paths";

// The same patterns as the app's registry (lib/action-paths.ts).
const actions = createActionPathRegistry(["account", "subrequest/:list"]);

/**
 * Refused by the character and segment rules themselves, before the registry
 * is consulted: the refusal must not depend on which actions happen to exist.
 */
function expectRefusedOutright(input: unknown) {
  expect(actions.check(input)).toEqual({ ok: false, reason: expect.not.stringMatching(/^unknown action/) });
  expect(actions.redirectPath(input)).toBeNull();
}

describe("Stored actions are relative paths from a registry", () => {
  describe("accepted actions, in canonical form (no leading slash)", () => {
    it.each([
      ["account", "account"],
      ["/account", "account"],
      ["subrequest/foo", "subrequest/foo"],
      ["/subrequest/foo", "subrequest/foo"],
      ["subrequest/foo.bar", "subrequest/foo.bar"],
      ["subrequest/foo_bar", "subrequest/foo_bar"],
      ["subrequest/foo-bar", "subrequest/foo-bar"],
      ["subrequest/Foo-Bar_2.list", "subrequest/Foo-Bar_2.list"],
      ["subrequest/7", "subrequest/7"],
      [`subrequest/${"a".repeat(64)}`, `subrequest/${"a".repeat(64)}`],
    ])("%j is accepted as %j", (input, canonical) => {
      expect(actions.check(input)).toEqual({ ok: true, path: canonical });
      expect(actions.redirectPath(input)).toBe(`/${canonical}`);
    });
  });

  describe("refused: anything a browser could read as another origin or scheme", () => {
    it.each([
      ["protocol-relative host", "//host"],
      ["protocol-relative host with path", "//evil.example/x"],
      ["protocol-relative host, three slashes", "///evil.example"],
      ["protocol-relative host named like an action", "//account"],
      ["three slashes before an action", "///account"],
      ["protocol-relative host with an action path", "//subrequest/foo"],
      ["slash-backslash host", "/\\host"],
      ["double backslash host", "\\\\host"],
      ["backslash-slash host", "\\/host"],
      ["absolute https URL", "https://evil.example"],
      ["bare scheme", "https:"],
      ["scheme-relative with account", "https:account"],
      ["javascript: URL", "javascript:alert(1)"],
      ["upper-case JAVASCRIPT: URL", "JAVASCRIPT:alert(1)"],
      ["data: URL", "data:text/html,<script>alert(1)</script>"],
      ["action followed by a scheme", "account/javascript:alert(1)"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: percent-encoded variants", () => {
    it.each([
      ["encoded //host (upper case)", "%2F%2Fhost"],
      ["encoded //host (lower case)", "%2f%2fhost"],
      ["encoded dot-dot segment", "subrequest/%2e%2e"],
      ["encoded dot-dot segment (upper case)", "subrequest/%2E%2E"],
      ["encoded backslash", "%5Chost"],
      ["encoded slash inside a parameter", "subrequest/foo%2Fbar"],
      ["double-encoded slash", "%252F%252Fhost"],
      ["encoded account", "%61ccount"],
      ["encoded CR LF", "account%0d%0a"],
      ["encoded CR LF (upper case)", "account%0D%0ALocation:%20x"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: control characters and whitespace", () => {
    it.each([
      ["CR LF header injection", "account\r\nLocation: x"],
      ["bare LF", "account\n"],
      ["bare CR", "account\r"],
      ["NUL", "account\u0000"],
      ["tab inside", "subrequest/foo\tbar"],
      ["leading tab", "\taccount"],
      ["space inside", "subrequest/foo bar"],
      ["trailing space", "account "],
      ["leading space", " account"],
      ["non-breaking space", "account\u00a0"],
      ["DEL", "account\u007f"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: dot segments, empty segments and trailing slashes", () => {
    it.each([
      ["dot-dot parameter", "subrequest/.."],
      ["dot parameter", "subrequest/."],
      ["dot-dot first segment", "../account"],
      ["dot first segment", "./account"],
      ["dot-dot escaping after a known action", "subrequest/foo/../../x"],
      ["dot-dot alone", ".."],
      ["dot alone", "."],
      ["empty middle segment", "subrequest//foo"],
      ["trailing slash", "account/"],
      ["trailing slash after a parameter", "subrequest/foo/"],
      ["slash alone", "/"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: actions that are not in the registry", () => {
    it.each([
      ["unknown action", "admin"],
      ["unknown action with a parameter", "admin/foo"],
      ["literal in the wrong case", "Account"],
      ["literal in upper case", "ACCOUNT"],
      ["parameter missing", "subrequest"],
      ["extra segment after a literal", "account/extra"],
      ["extra segment after a parameter", "subrequest/foo/bar"],
      ["prefix of a literal", "accoun"],
      ["literal with a suffix", "accounts"],
      ["parameter longer than 64 characters", `subrequest/${"a".repeat(65)}`],
      ["parameter starting with a dot", "subrequest/.foo"],
      ["parameter starting with a dash", "subrequest/-foo"],
      ["parameter with a tilde", "subrequest/~foo"],
    ])("%s: %j", (_label, input) => {
      expect(actions.check(input)).toEqual({ ok: false, reason: expect.stringMatching(/^unknown action/) });
      expect(actions.redirectPath(input)).toBeNull();
    });
  });

  describe("refused: query, fragment and user-info characters", () => {
    it.each([
      ["query", "account?next=//evil.example"],
      ["bare question mark", "account?"],
      ["fragment", "account#x"],
      ["at sign (user info)", "account@evil.example"],
      ["at sign in a parameter", "subrequest/foo@evil.example"],
      ["colon", "subrequest/foo:bar"],
      ["pattern name taken literally", "subrequest/:list"],
      ["semicolon", "account;x"],
      ["ampersand", "subrequest/a&b"],
      ["quote", 'account"'],
      ["angle bracket", "account<"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: Unicode look-alikes", () => {
    it.each([
      ["full-width slashes", "／／host"],
      ["full-width letter in a parameter", "subrequest/ｆoo"],
      ["full-width letter in a literal", "ａccount"],
      ["division slash", "subrequest∕foo"],
      ["fraction slash", "⁄⁄host"],
      ["Cyrillic a", "\u0430ccount"],
      ["accented letter in a parameter", "subrequest/café"],
      ["zero-width space", "account\u200b"],
      ["right-to-left override", "subrequest/\u202efoo"],
      ["full-width reverse solidus", "/＼host"],
    ])("%s: %j", (_label, input) => {
      expectRefusedOutright(input);
    });
  });

  describe("refused: empty, overlong and non-string values", () => {
    it.each([
      ["empty string", ""],
      ["201 characters", `subrequest/${"a".repeat(190)}`],
      ["10,000 characters", "a".repeat(10_000)],
      ["null", null],
      ["undefined", undefined],
      ["number", 42],
      ["boolean", true],
      ["array of the action", ["account"]],
      ["object", { path: "account" }],
      ["String object", new String("account")],
      ["object with toString", { toString: () => "account" }],
    ])("%s", (_label, input) => {
      expectRefusedOutright(input);
    });

    it("enforces the length limit itself, not only the segment rules", () => {
      const long = createActionPathRegistry(["a/:p/:q/:r/:s"]);
      const ok = `a/${"b".repeat(64)}/${"c".repeat(64)}/${"d".repeat(64)}/${"e".repeat(3)}`;
      expect(ok).toHaveLength(200);
      expect(long.check(ok)).toEqual({ ok: true, path: ok });
      const over = `${ok}e`;
      expect(over).toHaveLength(201);
      expect(long.check(over)).toEqual({ ok: false, reason: expect.stringContaining("200") });
    });
  });

  describe("redirectPath", () => {
    it("returns the same-origin path /account for account and /account", () => {
      expect(actions.redirectPath("account")).toBe("/account");
      expect(actions.redirectPath("/account")).toBe("/account");
    });

    it("always answers a path with exactly one leading slash, or null", () => {
      const inputs: unknown[] = ["account", "/account", "subrequest/x", "//host", "/\\host", "https://evil.example", null, 7];
      for (const input of inputs) {
        const path = actions.redirectPath(input);
        if (path !== null) {
          expect(path).toMatch(/^\/[^/\\]/);
          // Resolving against our origin never leaves it.
          expect(new URL(path, "https://app.example").origin).toBe("https://app.example");
        }
      }
      expect(actions.redirectPath("//host")).toBeNull();
    });
  });

  describe("the registry", () => {
    it("exposes a copy of its patterns", () => {
      const patterns = ["account", "subrequest/:list"];
      const registry = createActionPathRegistry(patterns);
      patterns.push("admin");
      expect(registry.patterns).toEqual(["account", "subrequest/:list"]);
      expect(registry.check("admin").ok).toBe(false);
    });

    it.each([["//host"], ["Account"], ["a b"], ["account/"], [":"], ["sub/:"], ["../x"], [""]])("refuses the invalid pattern %j", (pattern) => {
      expect(() => createActionPathRegistry([pattern])).toThrow(/invalid action pattern/);
    });
  });
});
