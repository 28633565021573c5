import { describe, expect, it } from "vitest";

import { formFields, singleField } from "./fields";

function form(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe('rule "E-mail input is exactly one address, normalised": a field is read as one string or not at all', () => {
  it("one text value is that value; a missing field is undefined", () => {
    const data = form([["email", "ada@example.com"]]);
    expect(singleField(data, "email")).toBe("ada@example.com");
    expect(singleField(data, "other")).toBeUndefined();
  });

  it("a field sent twice, or a file, is null (invalid), never its first value", () => {
    expect(singleField(form([["email", "ada@example.com"], ["email", "eve@example.com"]]), "email")).toBeNull();
    expect(singleField(form([["email", new Blob(["ada@example.com"])]]), "email")).toBeNull();
  });

  it("a whole form reads the same way, without Next's $ACTION fields", () => {
    const data = form([["name", "ci"], ["email", "a@example.com"], ["email", "b@example.com"], ["$ACTION_ID_abc", ""]]);
    expect(formFields(data)).toEqual({ name: "ci", email: null });
  });
});
