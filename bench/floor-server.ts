// The floor for bench:api: the least a correct implementation of the Authen
// tickets API does per request, and what the real API is measured against.
// Bare node:http; parse the JSON body; SHA-256 of the ticket; one statement
// on a table (hash primary key, uses, expires, payload); answer JSON. No key,
// no validation, no limits, no history.
//
//   tsx bench/floor-server.ts <port> sqlite <file>
//   tsx bench/floor-server.ts <port> postgresql <url>
//
// SQLite through better-sqlite3 (WAL, synchronous = NORMAL); PostgreSQL
// through node-postgres (a pool of 10, named prepared statements). The table
// is created afresh at start.
import { createHash, randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

import Database from "better-sqlite3";
import pg from "pg";

interface Row {
  uses: number | null;
  payload: string | null;
}

/** One statement each: create a ticket; spend one use of a live one (null when there is none). */
interface FloorStore {
  create(hash: string, uses: number | null, expires: number | null, payload: string | null): Promise<void>;
  use(hash: string, now: number): Promise<Row | null>;
}

const TABLE = "floor_tickets";

function sqliteStore(file: string): FloorStore {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (hash TEXT PRIMARY KEY, uses INTEGER, expires INTEGER, payload TEXT) WITHOUT ROWID`);
  const insert = db.prepare(`INSERT INTO ${TABLE} (hash, uses, expires, payload) VALUES (?, ?, ?, ?)`);
  const spend = db.prepare(
    `UPDATE ${TABLE} SET uses = uses - 1 WHERE hash = ? AND (uses IS NULL OR uses > 0) AND (expires IS NULL OR expires > ?) RETURNING uses, payload`,
  );
  return {
    create: async (hash, uses, expires, payload) => void insert.run(hash, uses, expires, payload),
    use: async (hash, now) => (spend.get(hash, now) as Row | undefined) ?? null,
  };
}

async function postgresStore(url: string): Promise<FloorStore> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (hash TEXT PRIMARY KEY, uses INTEGER, expires BIGINT, payload TEXT)`);
  const insert = { name: "floor-insert", text: `INSERT INTO ${TABLE} (hash, uses, expires, payload) VALUES ($1, $2, $3, $4)` };
  const spend = {
    name: "floor-use",
    text: `UPDATE ${TABLE} SET uses = uses - 1 WHERE hash = $1 AND (uses IS NULL OR uses > 0) AND (expires IS NULL OR expires > $2) RETURNING uses, payload`,
  };
  return {
    create: async (hash, uses, expires, payload) => void (await pool.query({ ...insert, values: [hash, uses, expires, payload] })),
    use: async (hash, now) => {
      const { rows } = await pool.query<Row>({ ...spend, values: [hash, now] });
      return rows[0] ?? null;
    },
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", reject);
    req.on("end", () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString() || "{}");
        resolve(value && typeof value === "object" ? (value as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
  });
}

function reply(res: ServerResponse, status: number, value: unknown) {
  const text = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

const [portArg, engine, target] = process.argv.slice(2);
if (!portArg || !target || (engine !== "sqlite" && engine !== "postgresql")) throw new Error("usage: floor-server.ts <port> sqlite|postgresql <file or url>");
const store = engine === "sqlite" ? sqliteStore(target) : await postgresStore(target);

createServer(async (req, res) => {
  try {
    const input = await readJson(req);
    if (req.url === "/v1/tickets") {
      const ticket = randomBytes(32).toString("base64url");
      const uses = typeof input.uses === "number" ? input.uses : null;
      const expires = typeof input.ttl === "number" ? Date.now() + input.ttl * 1000 : null;
      await store.create(sha256(ticket), uses, expires, input.payload === undefined ? null : JSON.stringify(input.payload));
      return reply(res, 200, { ticket });
    }
    if (req.url === "/v1/tickets/use") {
      const row = await store.use(sha256(String(input.ticket)), Date.now());
      if (!row) return reply(res, 404, { code: 102011, message: "no such ticket" });
      return reply(res, 200, { uses: row.uses, payload: row.payload === null ? null : JSON.parse(row.payload) });
    }
    reply(res, 404, { message: "not found" });
  } catch (error) {
    reply(res, 500, { message: String(error) });
  }
}).listen(Number(portArg), "127.0.0.1", () => console.log("floor ready"));
