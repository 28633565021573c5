// npm run cleanup — the clean-up job once, for cron (lib/jobs/cleanup.ts).
// On PostgreSQL it takes the same advisory lock as the in-app schedule, so
// it never runs beside another instance's clean-up; it then says so and exits 0.
import "./load-env";

import { EnvError, parseEnv } from "@/lib/env";
import { describeCleanup, runCleanupExclusive } from "@/lib/jobs/cleanup";
import { plural } from "@/lib/format";
import { createRuntime } from "@/lib/runtime";

let config;
try {
  config = parseEnv(process.env);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
const app = createRuntime(config);
try {
  const outcome = await runCleanupExclusive(config.DATABASE_URL, { db: app.db, tickets: app.tickets }, { retentionDays: config.TICKET_RETENTION_DAYS });
  console.log(outcome.ran ? `cleanup: ${describeCleanup(outcome.result)}; kept for ${plural(config.TICKET_RETENTION_DAYS, "day")}` : "cleanup: another instance is cleaning up right now; nothing to do");
} catch (error) {
  console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await app.close();
}
