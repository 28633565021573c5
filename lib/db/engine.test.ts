import { describe, expect, it } from "vitest";

import { databaseEngine, engineOf } from "./engine";

describe("the database engine, decided from DATABASE_URL in one place", () => {
  it.each([
    ["file:./data/app.db", "sqlite"],
    ["file:/var/lib/ticketgate/app.db?connection_limit=1", "sqlite"],
    ["postgresql://u:p@db:5432/app", "postgresql"],
    ["postgres://db/app", "postgresql"],
  ] as const)("%s is %s", (url, engine) => {
    expect(databaseEngine(url)).toBe(engine);
    expect(engineOf(url)).toBe(engine);
  });

  it.each(["mysql://db/x", "sqlite:app.db", "postgres://", "app.db", ""])("%s is none, and engineOf says what is expected without the password", (url) => {
    expect(databaseEngine(url)).toBeNull();
    expect(() => engineOf(url)).toThrow(/must start with "file:"/);
  });

  it("never prints the password of a URL it refuses", () => {
    expect(() => engineOf("mysql://ada:s3cret@db/x")).toThrow(/ada:\*\*\*@db/);
    expect(() => engineOf("mysql://ada:s3cret@db/x")).not.toThrow(/s3cret/);
  });
});
