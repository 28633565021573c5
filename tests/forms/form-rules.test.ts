// Rules about how forms are written, checked in the source:
// - rule "Every form is a plain HTML form first": a server action bound with
//   `.bind()` inside a client component hangs the server when its form is
//   posted without JavaScript — React's render retries a thenable that bind()
//   makes anew on every attempt, forever, at 100 % CPU
//   (docs/decisions/0014-forms-that-never-break.md). Forms carry such values
//   as hidden fields instead.
// - rule "Cross-site requests change nothing": every server action goes
//   through the one form-action door (lib/forms/form-action.ts), which checks
//   the origin first; none checks the request by itself.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(tsx?|jsx?)$/.test(name) ? [full] : [];
  });
}

const sources = ["app", "lib", "emails"].flatMap((dir) => sourceFiles(path.join(root, dir)));
const clientComponents = sources.filter((file) => /^\s*["']use client["']/.test(readFileSync(file, "utf8")));
const serverActionModules = sources.filter((file) => /^\s*["']use server["']/.test(readFileSync(file, "utf8")));

describe("client components", () => {
  it("exist (so the guard below looks at something)", () => {
    expect(clientComponents.length).toBeGreaterThan(5);
  });

  it.each(clientComponents.map((file) => [path.relative(root, file)]))("%s binds no server action", (file) => {
    const code = readFileSync(path.join(root, file), "utf8");
    expect(code).not.toMatch(/\.bind\s*\(/);
  });
});

describe("server action modules", () => {
  it("exist (so the guard below looks at something)", () => {
    expect(serverActionModules.length).toBeGreaterThan(5);
  });

  it.each(serverActionModules.map((file) => [path.relative(root, file)]))("%s goes through the form-action door", (file) => {
    const code = readFileSync(path.join(root, file), "utf8");
    expect(code).toMatch(/\b(formAction|formSubmit|performAdmin)\(/);
    expect(code).not.toMatch(/\bisSameOrigin\b|request\.server"/);
  });
});
