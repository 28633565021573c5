// "A crash between ticket creation and mail delivery: the mail still goes out
// after restart." A child process issues a sign-in link and is killed before
// any worker runs; a worker started afterwards — the restarted app — delivers
// that mail exactly once, over real SMTP, with the link to that very ticket.
import { spawn } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMailWorker } from "@/lib/mail/outbox";
import { createMailTransport } from "@/lib/mail/transport";
import { hashTicket } from "@/lib/tickets";

import { type TestDatabase, createTestDatabase, engines } from "../support/databases";
import { type Received, startSmtp } from "../support/smtp";

const SECRET = "crash-test-secret-crash-test-secret-0123";
const root = path.resolve(import.meta.dirname, "../..");

function issueThenCrash(t: TestDatabase, email: string): Promise<{ ticketId: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/issue-then-crash.ts", t.url, t.schema ?? "-", SECRET, email], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (_code, signal) => resolve({ ticketId: out.trim(), signal }));
  });
}

describe.each(engines)("a crash after issuing a link, on %s", (engine) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it("leaves the ticket and its queued mail together, and the restarted worker delivers the mail once", { timeout: 30_000 }, async () => {
    const { ticketId, signal } = await issueThenCrash(t, "crash@example.com");
    expect(signal).toBe("SIGKILL");
    const ticket = await t.db.ticket.findFirstOrThrow({ where: { id: ticketId } });
    expect(ticket).toMatchObject({ email: "crash@example.com", state: "open" });
    expect(await t.db.mailMessage.findMany({ select: { recipient: true, state: true } })).toEqual([{ recipient: "crash@example.com", state: "pending" }]);

    // The app comes back: a new worker, a relay that is up.
    const received: Received[] = [];
    const smtp = await startSmtp(received);
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: "Ticketgate <no-reply@example.com>", outboxDir: "" });
    try {
      const worker = createMailWorker({ db: t.db, secret: SECRET, transport });
      expect(await worker.drainOnce()).toMatchObject({ sent: 1, failed: 0 });
      expect(await worker.drainOnce()).toMatchObject({ sent: 0 });
    } finally {
      transport.close();
      await smtp.close();
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.envelopeTo).toEqual(["crash@example.com"]);
    const link = /https:\/\/auth\.example\.com\/ticket\/([A-Za-z0-9_-]{43})/.exec(received[0]!.mail.text);
    expect(hashTicket(link![1]!)).toBe(ticket.tokenHash);
    expect(await t.db.mailMessage.findMany({ select: { state: true, sealed: true } })).toEqual([{ state: "sent", sealed: "" }]);
  });
});
