// npm run admin:grant -- someone@example.com
// Grants the administrator role (creating the user when the address has
// none) and records it in the audit trail, as the console does.
import "./load-env";

import { userInfo } from "node:os";

import { grantAdminRole } from "@/lib/admin/operations";
import { createDb } from "@/lib/db/client";
import { EnvError, parseDatabaseUrl } from "@/lib/env";
import { systemClock } from "@/lib/tickets";
import { normalizeEmail } from "@/lib/forms/email";

const [input, ...rest] = process.argv.slice(2);
const email = normalizeEmail(input ?? "");
if (!input || rest.length > 0 || !email.ok) {
  console.error(`usage: npm run admin:grant -- someone@example.com${input && !email.ok ? `\n${email.error}` : ""}`);
  process.exit(2);
}

let db;
try {
  db = createDb(parseDatabaseUrl(process.env));
  const actor = { ip: null, userAgent: `npm run admin:grant (${process.env.USER ?? userInfo().username})` };
  const result = await grantAdminRole({ db, clock: systemClock }, { admin: { id: null, email: "command line" }, actor }, email.email);
  if (result.already) console.log(`${email.email} is already an administrator.`);
  else console.log(`${email.email} is now an administrator${result.created ? " (a new account was created; they sign in by link as usual)" : ""}.`);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `admin:grant failed: ${(error as Error).message} (did you run npm run db:migrate?)`);
  process.exitCode = 1;
} finally {
  await db?.$disconnect();
}
