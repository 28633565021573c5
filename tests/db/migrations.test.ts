// The database built from the migrations serves every model the schema
// declares, on each engine, and the migrations match the schema.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Prisma } from "@/generated/prisma/sqlite/client";
import { migrate, readMigrations } from "@/lib/db/migrate";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";

const root = path.resolve(import.meta.dirname, "../..");
const schemaText = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");

/** Model name → table name, from the @@map of each model block. */
function tablesOf(schema: string): Map<string, string> {
  const tables = new Map<string, string>();
  for (const match of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const map = /@@map\("([^"]+)"\)/.exec(match[2]!);
    tables.set(match[1]!, map ? map[1]! : match[1]!);
  }
  return tables;
}

const models = Object.values(Prisma.ModelName);

it("every migration snapshot matches prisma/schema.prisma (run npm run db:new-migration after a schema change)", () => {
  const snapshot = readFileSync(path.join(root, "prisma/migrations/schema.snapshot.prisma"), "utf8");
  expect(snapshot).toBe(schemaText);
});

it("both engines have the same migrations", () => {
  expect(readMigrations("sqlite").map((m) => m.name)).toEqual(readMigrations("postgresql").map((m) => m.name));
});

describe.each(engines)("migrations on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it("records each migration in _prisma_migrations with Prisma's checksum", async () => {
    const rows = await t.raw<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    const local = readMigrations(engine);
    expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const m of local) {
      const sql = readFileSync(path.join(root, "prisma/migrations", engine, m.name, "migration.sql"));
      expect(rows.find((r) => r.migration_name === m.name)?.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }
  });

  it("applies nothing the second time", async () => {
    const again = await migrate(t.url, t.schema ? { schema: t.schema } : {});
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations(engine).length);
  });

  it.each(models)("has a table with every column of model %s", async (model) => {
    const table = tablesOf(schemaText).get(model)!;
    const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]!);
    const columns =
      engine === "sqlite"
        ? (await t.raw<{ name: string }>(`PRAGMA table_info("${table}")`)).map((c) => c.name)
        : (await t.raw<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${t.schema}' AND table_name = '${table}'`)).map((c) => c.column_name);
    expect(columns.sort()).toEqual([...fields].sort());
  });

  it("serves every model through the Prisma client", async () => {
    const { db } = t;
    const now = new Date("2026-11-24T08:00:00.000Z");
    const user = await db.user.create({ data: { email: "ada@example.com", name: "Ada" } });
    await db.account.create({ data: { userId: user.id, type: "email", provider: "email", providerAccountId: "ada@example.com" } });
    await db.session.create({ data: { sessionToken: "s1", userId: user.id, expires: now, ipAddress: "192.0.2.1" } });
    await db.verificationToken.create({ data: { identifier: "ada@example.com", token: "v1", expires: now } });
    const project = await db.apiProject.create({ data: { name: "crm" } });
    await db.apiKey.create({ data: { projectId: project.id, keyHash: "k".repeat(64), prefix: "tg_abc" } });
    const ticket = await db.ticket.create({
      data: { tokenHash: "h".repeat(64), type: "login", email: user.email, userId: user.id, projectId: project.id, domain: "example.com", expiresAt: now, usesLeft: 1, maxUses: 1 },
    });
    await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: "issued", at: now } });
    await db.rateLimitBucket.create({ data: { key: "login:ip:192.0.2.1", count: 1, resetAt: now } });

    const loaded = await db.user.findUniqueOrThrow({ where: { email: "ada@example.com" }, include: { accounts: true, sessions: true, tickets: { include: { events: true, project: { include: { keys: true } } } } } });
    expect(loaded.accounts).toHaveLength(1);
    expect(loaded.sessions[0]!.expires.toISOString()).toBe(now.toISOString());
    expect(loaded.tickets[0]!.events[0]!.kind).toBe("issued");
    expect(loaded.tickets[0]!.expiresAt?.toISOString()).toBe(now.toISOString());
    expect(loaded.tickets[0]!.project?.keys).toHaveLength(1);
    expect(await db.verificationToken.count()).toBe(1);
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key: "login:ip:192.0.2.1" } })).count).toBe(1);
    await db.ticketBinding.create({ data: { browserHash: "b".repeat(64), ticketId: ticket.id, kind: "login", codeHash: "c".repeat(64), codeAttemptsLeft: 5, expiresAt: now } });
    await db.subscriptionRequest.create({ data: { userId: user.id, list: "foo" } });
    await db.mailMessage.create({ data: { recipient: user.email, template: "login-link", sealed: "x", nextAttemptAt: now } });
    expect(await db.subscriptionRequest.count({ where: { userId: user.id } })).toBe(1);
    expect((await db.ticketBinding.findFirstOrThrow()).codeAttemptsLeft).toBe(5);
    expect((await db.mailMessage.findFirstOrThrow()).state).toBe("pending");
    await db.personalApiToken.create({ data: { userId: user.id, name: "ci", tokenHash: "p".repeat(64), prefix: "tgp_abc" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { apiTokens: true } })).apiTokens.map((token) => token.name)).toEqual(["ci"]);
    await db.auditEvent.create({ data: { actorId: user.id, actorEmail: user.email, action: "user.disable", targetType: "user", targetId: user.id, at: now } });
    expect((await db.auditEvent.findFirstOrThrow()).at.toISOString()).toBe(now.toISOString());
    const app = await db.oidcClient.create({ data: { id: "tg_app", name: "wiki", redirectUris: '["https://wiki.example/cb"]' } });
    await db.oidcConsent.create({ data: { userId: user.id, clientId: app.id, scopes: "openid email" } });
    await db.oidcPayload.create({ data: { kind: "Grant", id: "g1", payload: "{}", accountId: user.id, clientId: app.id, expiresAt: now } });
    await db.oidcKey.create({ data: { id: "k1", alg: "RS256", sealed: "v1.x" } });
    expect((await db.oidcPayload.findUniqueOrThrow({ where: { kind_id: { kind: "Grant", id: "g1" } } })).expiresAt?.toISOString()).toBe(now.toISOString());
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { oidcConsents: { include: { client: true } } } })).oidcConsents[0]!.client.name).toBe("wiki");
    expect(await db.oidcKey.count()).toBe(1);
    // Every model the schema declares was written and read above.
    expect(models.sort()).toEqual(["Account", "ApiKey", "ApiProject", "AuditEvent", "MailMessage", "OidcClient", "OidcConsent", "OidcKey", "OidcPayload", "PersonalApiToken", "RateLimitBucket", "Session", "SubscriptionRequest", "Ticket", "TicketBinding", "TicketEvent", "User", "VerificationToken"]);
    // Deleting the user cascades to sessions and accounts, and detaches tickets.
    await db.user.delete({ where: { id: user.id } });
    expect(await db.session.count()).toBe(0);
    expect(await db.oidcConsent.count()).toBe(0);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).userId).toBeNull();
  });

  it("refuses a second user with the same e-mail address", async () => {
    await t.db.user.create({ data: { email: "dup@example.com" } });
    await expect(t.db.user.create({ data: { email: "dup@example.com" } })).rejects.toThrow();
  });
});
