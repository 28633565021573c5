// npm run db:migrate — applies pending migrations to DATABASE_URL.
// Runs before `dev` and `start`; safe to run from several instances at once.
import "../load-env";

import { redactUrl } from "@/lib/db/engine";
import { migrate } from "@/lib/db/migrate";
import { EnvError, parseDatabaseUrl } from "@/lib/env";

try {
  const DATABASE_URL = parseDatabaseUrl(process.env);
  const result = await migrate(DATABASE_URL);
  const applied = result.applied.length ? `applied ${result.applied.join(", ")}` : "nothing to apply";
  console.log(`db:migrate: ${result.engine} ${redactUrl(DATABASE_URL)}: ${applied} (${result.alreadyApplied} already applied)`);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `db:migrate failed: ${(error as Error).message}`);
  process.exit(1);
}
