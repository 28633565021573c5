// A real SMTP server on 127.0.0.1 for the mail tests (smtp-server, in-process).
import type { AddressInfo } from "node:net";

import { SMTPServer } from "smtp-server";

import { type ParsedEml, parseEml } from "@/lib/mail/transport";

export interface Received {
  envelopeTo: string[];
  raw: string;
  mail: ParsedEml;
}

export interface Smtp {
  port: number;
  close(): Promise<void>;
}

/** Starts a server that accepts every message and pushes it to `sink`. Port 0: any free port. */
export async function startSmtp(sink: Received[], port = 0): Promise<Smtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("latin1");
        sink.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, mail: parseEml(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return { port: address.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
