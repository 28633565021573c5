// The e2e server's clock is the real one; a flow that needs time to pass
// moves the stored expiry instead, in the server's SQLite file.
import Database from "better-sqlite3";

/** Moves a person's open tickets' expiry into the past, as the clock would. */
export function expireTickets(email: string): void {
  const db = new Database("data/e2e/app.db");
  try {
    db.prepare(`UPDATE tickets SET expiresAt = ? WHERE email = ? AND state = 'open'`).run(new Date(Date.now() - 1000).toISOString().replace("Z", "+00:00"), email);
  } finally {
    db.close();
  }
}
