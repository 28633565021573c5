// What the server holds about some addresses, read from the e2e server's
// SQLite file: to show that a visit "changed nothing". Mail is queued in the
// request's own transaction, so the outbox counts are exact once a page answered.
import Database from "better-sqlite3";

export interface AddressState {
  user: { email: string; passwordHash: string | null; disabled: number } | null;
  sessions: number;
  mailQueued: number;
  tickets: { type: string; state: string; useCount: number }[];
}

/** Accounts, sessions, queued mail and tickets of each address (events and open counts aside: looking is allowed). */
export function stateOf(emails: readonly string[]): Record<string, AddressState> {
  const db = new Database("data/e2e/app.db", { readonly: true });
  try {
    const state: Record<string, AddressState> = {};
    for (const email of emails) {
      const user = (db.prepare(`SELECT id, email, passwordHash, disabled FROM users WHERE email = ?`).get(email) as ({ id: string } & AddressState["user"]) | undefined) ?? null;
      state[email] = {
        user: user ? { email: user.email, passwordHash: user.passwordHash, disabled: user.disabled } : null,
        sessions: user ? (db.prepare(`SELECT COUNT(*) AS n FROM sessions WHERE userId = ?`).get(user.id) as { n: number }).n : 0,
        mailQueued: (db.prepare(`SELECT COUNT(*) AS n FROM mail_messages WHERE recipient = ?`).get(email) as { n: number }).n,
        tickets: db.prepare(`SELECT type, state, useCount FROM tickets WHERE email = ? ORDER BY createdAt, id`).all(email) as AddressState["tickets"],
      };
    }
    return state;
  } finally {
    db.close();
  }
}
