// The yardstick for bench:api: a bare node:http server on better-sqlite3
// running the same statements as the real API (create = ticket + "issued"
// event in one transaction; use = look-up by hash, conditional update, "used"
// event), with none of its checks. The real API aims for at least half of
// what this does on the same machine.
//
//   tsx bench/baseline-server.ts <port> <sqlite file (migrated)>
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

import Database from "better-sqlite3";

const [portArg, file] = process.argv.slice(2);
if (!portArg || !file) throw new Error("usage: baseline-server.ts <port> <sqlite file>");

const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const insertTicket = db.prepare(
  `INSERT INTO tickets (id, tokenHash, type, domain, payload, maxUses, usesLeft, expiresAt, requestedFromIp, createdAt, updatedAt) VALUES (?, ?, 'api', 'default', ?, ?, ?, ?, ?, ?, ?)`,
);
const insertEvent = db.prepare(`INSERT INTO ticket_events (id, ticketId, kind, at, ip) VALUES (?, ?, ?, ?, ?)`);
const find = db.prepare(`SELECT id, usesLeft, payload FROM tickets WHERE tokenHash = ?`);
const spend = db.prepare(
  `UPDATE tickets SET usesLeft = usesLeft - 1, useCount = useCount + 1, state = CASE WHEN usesLeft = 1 THEN 'closed' ELSE state END, lastUsedAt = ?, updatedAt = ? WHERE id = ? AND state = 'open' AND usesLeft = ? AND (expiresAt IS NULL OR expiresAt > ?)`,
);
const issue = db.transaction((id: string, hash: string, payload: string | null, uses: number, now: string, expires: string, ip: string) => {
  insertTicket.run(id, hash, payload, uses, uses, expires, ip, now, now);
  insertEvent.run(randomUUID(), id, "issued", now, ip);
});

function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>));
  });
}

function reply(res: ServerResponse, status: number, value: unknown) {
  const text = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

createServer(async (req, res) => {
  const input = await body(req);
  const now = new Date();
  const ip = req.socket.remoteAddress ?? "";
  if (req.url === "/v1/tickets") {
    const ticket = randomBytes(32).toString("base64url");
    const uses = typeof input.uses === "number" ? input.uses : 1;
    const ttl = typeof input.ttl === "number" ? input.ttl : 60;
    issue(randomUUID(), createHash("sha256").update(ticket).digest("hex"), input.payload === undefined ? null : JSON.stringify(input.payload), uses, iso(now), iso(new Date(now.getTime() + ttl * 1000)), ip);
    return reply(res, 200, { ticket });
  }
  const row = find.get(createHash("sha256").update(String(input.ticket)).digest("hex")) as { id: string; usesLeft: number; payload: string | null } | undefined;
  if (row && spend.run(iso(now), iso(now), row.id, row.usesLeft, iso(now)).changes === 1) {
    insertEvent.run(randomUUID(), row.id, "used", iso(now), ip);
    return reply(res, 200, { uses: row.usesLeft - 1, payload: row.payload === null ? null : JSON.parse(row.payload) });
  }
  reply(res, 404, { code: 102011 });
}).listen(Number(portArg), "127.0.0.1", () => console.log("baseline ready"));
