// Child process for tests/mail/crash-recovery.test.ts: asks for a sign-in
// link the way the app does (ticket and mail in one transaction), prints the
// ticket's id, and dies at once — SIGKILL: no exit handlers, no flush, no
// worker — so nothing could have been delivered.
//
//   tsx tests/support/issue-then-crash.ts <DATABASE_URL> <schema|-> <secret> <email>
import { actionPaths } from "@/lib/action-paths";
import { issueLoginLink } from "@/lib/sign-in/link";
import { createDb } from "@/lib/db/client";
import { openTicketStore } from "@/lib/db/ticket-store";
import { sealForOutbox } from "@/lib/mail/outbox";
import { createTicketService } from "@/lib/tickets";

const [url, schema, secret, email] = process.argv.slice(2);
if (!url || !schema || !secret || !email) throw new Error("usage: issue-then-crash.ts <DATABASE_URL> <schema|-> <secret> <email>");

const db = createDb(url, schema === "-" ? {} : { schema });
const { store } = openTicketStore(url, db, schema === "-" ? {} : { schema });
const tickets = createTicketService({ store, actionPaths, defaultDomain: "auth.example.com" });
const issued = await issueLoginLink(
  { db, tickets, actionPaths, sealMail: (mail) => sealForOutbox(secret, mail), mailQueued: () => {}, config: { APP_URL: "https://auth.example.com", SIGNUP: "open", LOGIN_TICKET_TTL_MINUTES: 15 } },
  email,
  "subrequest/foo",
  { ip: "192.0.2.44" },
);
process.stdout.write(`${issued.ticketId}\n`, () => process.kill(process.pid, "SIGKILL"));
