// The mail outbox end to end: real databases (SQLite, and PostgreSQL when
// configured), a real SMTP server in-process, nodemailer's SMTP transport.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import nodemailer from "nodemailer";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { loginLinkEmail } from "@/emails/login-link";
import { type MailWorker, type MailWorkerOptions, createMailWorker, enqueueMail } from "@/lib/mail/outbox";
import { openMail } from "@/lib/mail/seal";
import { type MailTransport, createMailTransport, listOutbox, parseEml } from "@/lib/mail/transport";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";
import { type Received, type Smtp, startSmtp } from "../support/smtp";

const SECRET = "outbox-test-secret-outbox-test-secret-0123";
const FROM = "Ticketgate <no-reply@example.com>";
const BACKOFF_MS = 60_000;

/** A sign-in mail with a ticket value unique to this call. */
function loginMail(to: string) {
  const ticket = randomBytes(16).toString("base64url");
  const url = `https://auth.example.com/ticket/${ticket}`;
  const code = "987654";
  return { ticket, url, code, mail: { to, template: "login-link", ...loginLinkEmail({ url, code, expiresInMinutes: 15, requestedFromIp: "192.0.2.10" }) } };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function count<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe.each(engines)("mail outbox on %s", (engine) => {
  let t: TestDatabase;
  let smtp: Smtp | null = null;
  let port = 0;
  const received: Received[] = [];
  const errors: { messageId: string | null; message: string }[] = [];
  const transports: MailTransport[] = [];
  const workers: MailWorker[] = [];
  let current = new Date("2026-11-24T08:00:00.000Z");
  const clock = { now: () => new Date(current.getTime()) };

  function worker(extra: Partial<MailWorkerOptions> = {}): MailWorker {
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, outboxDir: "/nonexistent", from: FROM });
    transports.push(transport);
    const created = createMailWorker({
      db: t.db,
      secret: SECRET,
      transport,
      clock,
      backoff: (attempt) => attempt * BACKOFF_MS,
      onError: (error, messageId) => errors.push({ messageId, message: error instanceof Error ? error.message : String(error) }),
      ...extra,
    });
    workers.push(created);
    return created;
  }

  async function stopSmtp() {
    await smtp?.close();
    smtp = null;
  }

  async function restartSmtp() {
    // A new server on the same port, as after a relay restart.
    smtp ??= await startSmtp(received, port);
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine, { poolSize: 16 });
    smtp = await startSmtp(received);
    port = smtp.port;
  });

  beforeEach(async () => {
    await t.db.mailMessage.deleteMany();
    await restartSmtp();
    received.length = 0;
    errors.length = 0;
    current = new Date("2026-11-24T08:00:00.000Z");
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const transport of transports.splice(0)) transport.close();
  });

  afterAll(async () => {
    await stopSmtp();
    await t?.drop();
  });

  it("enqueue → drainOnce: the server receives exactly one message with the right To, Subject and link; the row is sent with its body wiped", async () => {
    const { url, mail } = loginMail("ada@example.com");
    const { id } = await enqueueMail(t.db, SECRET, mail, clock.now());
    expect(await t.db.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "pending", attempts: 0, recipient: "ada@example.com", template: "login-link" });

    const result = await worker().drainOnce();

    expect(result).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.envelopeTo).toEqual(["ada@example.com"]);
    expect(message!.mail.to).toBe("ada@example.com");
    expect(message!.mail.subject).toBe("Your sign-in link for Ticketgate");
    expect(message!.mail.text).toContain(url);
    expect(message!.mail.text).toContain("987-654");
    expect(message!.raw).toMatch(/^From: Ticketgate <no-reply@example\.com>$/m);

    const row = await t.db.mailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "sent", sealed: "", lockedUntil: null, attempts: 1, lastError: null });
    expect(row.sentAt?.getTime()).toBe(current.getTime());

    // Nothing is due any more: a second drain sends nothing.
    expect(await worker().drainOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(received).toHaveLength(1);
  });

  it("the stored body never holds the link or the code in plaintext, before or after delivery", async () => {
    const { ticket, url, mail } = loginMail("grace@example.com");
    const { id } = await enqueueMail(t.db, SECRET, mail, clock.now());

    const dump = async () => JSON.stringify(await t.raw(`SELECT * FROM mail_messages`), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    const [stored] = await t.raw<{ sealed: string }>(`SELECT sealed FROM mail_messages WHERE id = '${id}'`);
    expect(stored!.sealed).toMatch(/^v1\./);
    // It is the mail, sealed: opening it with the secret gives the content back.
    expect(openMail(SECRET, stored!.sealed)).toEqual({ subject: mail.subject, text: mail.text, html: mail.html });
    const before = await dump();
    for (const plain of [ticket, url, "987654", "987-654", "Your sign-in link"]) expect(before).not.toContain(plain);

    await worker().drainOnce();
    const after = await dump();
    for (const plain of [ticket, url, "987654", "987-654"]) expect(after).not.toContain(plain);
    expect(received).toHaveLength(1);
  });

  it("with the SMTP server down messages stay pending, attempts grow, nextAttemptAt moves by the backoff; back up, each is delivered exactly once", async () => {
    await stopSmtp();
    const mails = ["a@example.com", "b@example.com", "c@example.com"].map(loginMail);
    const ids = [];
    for (const { mail } of mails) ids.push((await enqueueMail(t.db, SECRET, mail, clock.now())).id);
    const w = worker();

    expect(await w.drainOnce()).toEqual({ sent: 0, failed: 0, retried: 3 });
    let rows = await t.db.mailMessage.findMany({ where: { id: { in: ids } } });
    for (const row of rows) {
      expect(row).toMatchObject({ state: "pending", attempts: 1, lockedUntil: null, sentAt: null });
      expect(row.nextAttemptAt.getTime()).toBe(current.getTime() + 1 * BACKOFF_MS);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row.sealed).toMatch(/^v1\./);
    }
    for (const { url } of mails) expect(rows.map((r) => r.lastError).join("\n")).not.toContain(url);
    expect(errors.map((e) => e.messageId).sort()).toEqual([...ids].sort());

    // Not due yet: nothing is attempted before the backoff has passed.
    current = new Date(current.getTime() + BACKOFF_MS - 1);
    expect(await w.drainOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect((await t.db.mailMessage.findMany({ where: { id: { in: ids } } })).map((r) => r.attempts)).toEqual([1, 1, 1]);

    current = new Date(current.getTime() + 1);
    expect(await w.drainOnce()).toEqual({ sent: 0, failed: 0, retried: 3 });
    rows = await t.db.mailMessage.findMany({ where: { id: { in: ids } } });
    for (const row of rows) {
      expect(row).toMatchObject({ state: "pending", attempts: 2 });
      expect(row.nextAttemptAt.getTime()).toBe(current.getTime() + 2 * BACKOFF_MS);
    }

    await restartSmtp();
    current = new Date(current.getTime() + 2 * BACKOFF_MS);
    expect(await w.drainOnce()).toEqual({ sent: 3, failed: 0, retried: 0 });
    expect(await w.drainOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });

    expect(received).toHaveLength(3);
    expect([...count(received.flatMap((r) => r.envelopeTo)).entries()].sort()).toEqual([
      ["a@example.com", 1],
      ["b@example.com", 1],
      ["c@example.com", 1],
    ]);
    for (const { url, mail } of mails) expect(received.find((r) => r.mail.to === mail.to)!.mail.text).toContain(url);
    rows = await t.db.mailMessage.findMany({ where: { id: { in: ids } } });
    for (const row of rows) expect(row).toMatchObject({ state: "sent", sealed: "", attempts: 3 });
  });

  it("after maxAttempts failures the message is failed, its body wiped, and it is never tried again", async () => {
    await stopSmtp();
    const { mail } = loginMail("hopper@example.com");
    const { id } = await enqueueMail(t.db, SECRET, mail, clock.now());
    const w = worker({ maxAttempts: 3 });

    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await w.drainOnce());
      current = new Date(current.getTime() + 10 * BACKOFF_MS);
    }
    expect(results).toEqual([
      { sent: 0, failed: 0, retried: 1 },
      { sent: 0, failed: 0, retried: 1 },
      { sent: 0, failed: 1, retried: 0 },
    ]);
    const row = await t.db.mailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "failed", attempts: 3, sealed: "", lockedUntil: null, sentAt: null });
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);

    await restartSmtp();
    current = new Date(current.getTime() + 100 * BACKOFF_MS);
    expect(await w.drainOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(received).toHaveLength(0);
  });

  it("two workers draining the same 20 messages concurrently deliver each exactly once", async () => {
    const recipients = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`);
    for (const to of recipients) await enqueueMail(t.db, SECRET, loginMail(to).mail, clock.now());
    const one = worker({ batchSize: 5 });
    const two = worker({ batchSize: 5 });

    const results = await Promise.all([one.drainOnce(), two.drainOnce(), one.drainOnce(), two.drainOnce(), one.drainOnce(), two.drainOnce()]);

    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(20);
    expect(results.every((r) => r.failed === 0 && r.retried === 0)).toBe(true);
    expect(received).toHaveLength(20);
    const counts = count(received.flatMap((r) => r.envelopeTo));
    expect([...counts.keys()].sort()).toEqual([...recipients].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // One claim each: a second claim would have counted a second attempt.
    const rows = await t.db.mailMessage.findMany();
    expect(rows.every((r) => r.state === "sent" && r.attempts === 1 && r.sealed === "")).toBe(true);
  });

  it("a 'sending' message whose lease expired (its worker died) is taken over; a live lease is left alone", async () => {
    const dead = loginMail("dead-worker@example.com");
    const alive = loginMail("live-worker@example.com");
    const { id: deadId } = await enqueueMail(t.db, SECRET, dead.mail, clock.now());
    const { id: aliveId } = await enqueueMail(t.db, SECRET, alive.mail, clock.now());
    await t.db.mailMessage.update({ where: { id: deadId }, data: { state: "sending", attempts: 1, lockedUntil: new Date(current.getTime() - 1000) } });
    await t.db.mailMessage.update({ where: { id: aliveId }, data: { state: "sending", attempts: 1, lockedUntil: new Date(current.getTime() + 30_000) } });
    const w = worker();

    expect(await w.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(received.map((r) => r.mail.to)).toEqual(["dead-worker@example.com"]);
    expect(received[0]!.mail.text).toContain(dead.url);
    expect(await t.db.mailMessage.findUniqueOrThrow({ where: { id: deadId } })).toMatchObject({ state: "sent", attempts: 2, sealed: "" });
    expect(await t.db.mailMessage.findUniqueOrThrow({ where: { id: aliveId } })).toMatchObject({ state: "sending", attempts: 1 });

    // Once the live lease runs out too, that one is taken over as well.
    current = new Date(current.getTime() + 30_001);
    expect(await w.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(received.map((r) => r.mail.to)).toEqual(["dead-worker@example.com", "live-worker@example.com"]);
  });

  it("two workers taking over the same 10 expired leases concurrently deliver each exactly once", async () => {
    const recipients = Array.from({ length: 10 }, (_, i) => `orphan${i}@example.com`);
    for (const to of recipients) await enqueueMail(t.db, SECRET, loginMail(to).mail, clock.now());
    await t.db.mailMessage.updateMany({ data: { state: "sending", attempts: 1, lockedUntil: new Date(current.getTime() - 1) } });
    const one = worker({ batchSize: 3 });
    const two = worker({ batchSize: 3 });

    const results = await Promise.all([one.drainOnce(), two.drainOnce(), one.drainOnce(), two.drainOnce()]);

    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(10);
    expect(received).toHaveLength(10);
    expect(new Set(received.flatMap((r) => r.envelopeTo)).size).toBe(10);
    expect((await t.db.mailMessage.findMany()).every((r) => r.state === "sent" && r.attempts === 2)).toBe(true);
  });

  it("a lease that expired on the last attempt is failed, not sent again", async () => {
    const { id } = await enqueueMail(t.db, SECRET, loginMail("last@example.com").mail, clock.now());
    await t.db.mailMessage.update({ where: { id }, data: { state: "sending", attempts: 3, lockedUntil: new Date(current.getTime() - 1) } });

    expect(await worker({ maxAttempts: 3 }).drainOnce()).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(received).toHaveLength(0);
    expect(await t.db.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "failed", sealed: "", lockedUntil: null });
  });

  it("a body sealed with another secret is retried and kept, so an instance with that secret can still deliver it", async () => {
    const other = "another-instance-secret-another-instance-secret";
    const { url, mail } = loginMail("rotated@example.com");
    const { id } = await enqueueMail(t.db, other, mail, clock.now());
    const sealed = (await t.db.mailMessage.findUniqueOrThrow({ where: { id } })).sealed;

    expect(await worker().drainOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
    const row = await t.db.mailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "pending", attempts: 1, sealed });
    expect(row.lastError).toMatch(/cannot open/);
    expect(errors).toHaveLength(1);
    expect(received).toHaveLength(0);

    current = new Date(current.getTime() + BACKOFF_MS);
    expect(await worker({ secret: other }).drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(received[0]!.mail.text).toContain(url);
  });

  it("kick() delivers soon without an explicit drain, start() polls, and nothing runs after stop()", async () => {
    const w = worker();
    await enqueueMail(t.db, SECRET, loginMail("kicked@example.com").mail, clock.now());
    w.kick();
    w.kick();
    await waitFor(() => received.length === 1);
    await w.stop();

    const { id } = await enqueueMail(t.db, SECRET, loginMail("after-stop@example.com").mail, clock.now());
    w.kick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(1);
    expect((await t.db.mailMessage.findUniqueOrThrow({ where: { id } })).state).toBe("pending");

    const poller = worker();
    poller.start(20);
    await waitFor(() => received.length === 2);
    await poller.stop();
    expect(received.map((r) => r.mail.to)).toEqual(["kicked@example.com", "after-stop@example.com"]);
  });

  it("enqueueMail refuses header injection in the recipient and the subject", async () => {
    const { mail } = loginMail("ok@example.com");
    await expect(enqueueMail(t.db, SECRET, { ...mail, to: "ok@example.com\r\nBcc: x@example.com" })).rejects.toThrow(TypeError);
    await expect(enqueueMail(t.db, SECRET, { ...mail, subject: "Hi\nBcc: x@example.com" })).rejects.toThrow(TypeError);
    expect(await t.db.mailMessage.count()).toBe(0);
  });
});

describe("outbox transport (.eml files)", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ticketgate-outbox-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes .eml files that listOutbox reads back, newest first, with subject, recipient and the text body", async () => {
    const outboxDir = path.join(dir, "nested", "outbox");
    const transport = createMailTransport({ outboxDir, from: FROM });
    expect(transport.kind).toBe("outbox");
    const first = loginMail("ada@example.com");
    // A long link: quoted-printable wraps it, and the reader must join it again.
    const longUrl = `https://auth.example.com/ticket/${"x".repeat(120)}`;
    await transport.send({ to: "ada@example.com", ...loginLinkEmail({ url: longUrl, code: first.code, expiresInMinutes: 15 }) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await transport.send({ to: "Jürgen <jurgen@example.com>", subject: "Grüße — dein Link ✓", text: "Hallo Jürgen,\nhttps://auth.example.com/ticket/abc\n", html: "<p>Hallo</p>" });
    transport.close();

    const names = readdirSync(outboxDir);
    expect(names).toHaveLength(2);
    for (const name of names) {
      expect(name).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{12}\.eml$/);
      // Live links inside: readable by the owner only.
      expect(statSync(path.join(outboxDir, name)).mode & 0o077).toBe(0);
    }

    const entries = await listOutbox(outboxDir);
    expect(entries.map((e) => e.subject)).toEqual(["Grüße — dein Link ✓", "Your sign-in link for Ticketgate"]);
    expect(entries[0]!.to).toBe("Jürgen <jurgen@example.com>");
    expect(entries[0]!.text).toBe("Hallo Jürgen,\nhttps://auth.example.com/ticket/abc\n");
    // The HTML part too, for the outbox page to show beside the text.
    expect(entries[0]!.html).toBe("<p>Hallo</p>");
    expect(entries[1]!.html).toContain(longUrl.slice(0, 40));
    expect(entries[1]!.to).toBe("ada@example.com");
    expect(entries[1]!.text.split("\n")).toContain(longUrl);
    expect(entries[1]!.text).toContain("987-654");
    expect(Math.abs(entries[1]!.date.getTime() - Date.now())).toBeLessThan(60_000);

    expect((await listOutbox(outboxDir, 1)).map((e) => e.subject)).toEqual(["Grüße — dein Link ✓"]);
  });

  it("a missing outbox directory is an empty outbox", async () => {
    expect(await listOutbox(path.join(dir, "does-not-exist"))).toEqual([]);
  });

  it("parseEml reads base64 and quoted-printable text parts alike, long lines and trailing spaces included", async () => {
    // Long lines are wrapped with soft breaks, often right after a space; the spaces are text.
    const text = `Zürich — https://auth.example.com/ticket/abc ✓\n${"word ".repeat(60)}end\ntrailing spaces  \n= equals =3D\n`;
    for (const textEncoding of ["base64", "quoted-printable"] as const) {
      const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
      const info = await stream.sendMail({ from: FROM, to: "ada@example.com", subject: "Ünïcode ✓", text, html: "<p>x</p>", textEncoding });
      const parsed = parseEml((info.message as Buffer).toString("latin1"));
      expect(parsed).toMatchObject({ to: "ada@example.com", subject: "Ünïcode ✓", text });
    }
  });

  it("an SMTP URL gives an SMTP transport", () => {
    const transport = createMailTransport({ smtpUrl: "smtp://127.0.0.1:2525", outboxDir: dir, from: FROM });
    expect(transport.kind).toBe("smtp");
    transport.close();
  });
});
