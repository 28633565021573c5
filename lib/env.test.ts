import { describe, expect, it } from "vitest";

import { EnvError, parseDatabaseUrl, parseEnv } from "./env";

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment", () => {
  it("works with nothing set: SQLite under ./data, localhost, a development secret", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      DATABASE_URL: "file:./data/app.db",
      APP_URL: "http://localhost:3000",
      TICKET_DOMAIN: "localhost",
      TICKET_RETENTION_DAYS: 30,
      TICKET_MAX_PAYLOAD_BYTES: 4096,
      TRUST_PROXY: false,
    });
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", APP_URL: "" }).DATABASE_URL).toBe("file:./data/app.db");
  });

  it("requires AUTH_SECRET in production, naming the variable", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([expect.stringMatching(/^AUTH_SECRET is required in production/)]);
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }).AUTH_SECRET).toBe("x".repeat(32));
    expect(problems({ AUTH_SECRET: "short" })).toEqual([expect.stringMatching(/^AUTH_SECRET must be at least 32 characters/)]);
  });

  it.each(["mysql://db/x", "sqlite:app.db", "postgres://", "app.db"])("refuses DATABASE_URL %s", (url) => {
    expect(problems({ DATABASE_URL: url })[0]).toMatch(/^DATABASE_URL must start with "file:"/);
    expect(() => parseDatabaseUrl({ DATABASE_URL: url })).toThrow(EnvError);
  });

  it.each(["postgresql://u:p@db:5432/app", "postgres://db/app", "file:/var/lib/ticketgate/app.db"])("accepts DATABASE_URL %s", (url) => {
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(parseDatabaseUrl({ DATABASE_URL: url })).toBe(url);
  });

  it.each(["auth.example.com", "ftp://auth.example.com", "https://auth.example.com/base", "https://auth.example.com/?x=1", "https://user:pw@auth.example.com"])(
    "refuses APP_URL %s",
    (url) => {
      expect(problems({ APP_URL: url })[0]).toMatch(/^APP_URL /);
    },
  );

  it("keeps only the origin of APP_URL and derives the ticket domain from it", () => {
    const env = parseEnv({ APP_URL: "https://Auth.Example.com:8443/" });
    expect(env.APP_URL).toBe("https://auth.example.com:8443");
    expect(env.TICKET_DOMAIN).toBe("auth.example.com");
  });

  it("reports every bad variable at once", () => {
    const all = problems({ APP_URL: "nope", TICKET_RETENTION_DAYS: "-1", TRUST_PROXY: "maybe" });
    expect(all.map((p) => p.split(" ")[0])).toEqual(["APP_URL", "TICKET_RETENTION_DAYS", "TRUST_PROXY"]);
    expect(new EnvError(all).message).toContain("See .env.example");
  });

  it("reads ADMIN_EMAILS as normalised addresses and names a bad entry", () => {
    expect(parseEnv({}).ADMIN_EMAILS).toEqual([]);
    expect(parseEnv({ ADMIN_EMAILS: " Ada@Example.COM , bob@example.com," }).ADMIN_EMAILS).toEqual(["ada@example.com", "bob@example.com"]);
    const [problem, ...rest] = problems({ ADMIN_EMAILS: "ada@example.com, not an address" });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^ADMIN_EMAILS has an entry that is not one e-mail address: "not an address"/);
  });
});
