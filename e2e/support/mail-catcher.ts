// A real SMTP server for the browser flows: the app under test delivers its
// mail here over SMTP (SMTP_URL=smtp://127.0.0.1:<port>), and each message is
// written as JSON for the tests to read back (e2e/support/mail.ts).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { SMTPServer } from "smtp-server";

const port = Number(process.argv[2] ?? 2526);
const dir = path.resolve(process.argv[3] ?? "e2e/.artifacts/mail");
// Each run starts with an empty mailbox.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let seq = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const file = path.join(dir, `${Date.now()}-${String(++seq).padStart(5, "0")}.json`);
      writeFileSync(file, JSON.stringify({ receivedAt: new Date().toISOString(), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to, raw }));
      callback();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`mail catcher on smtp://127.0.0.1:${port}, writing to ${dir}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.close(() => process.exit(0)));
