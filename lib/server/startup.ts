// Start-up for the Node.js server (instrumentation.ts). A bad environment
// stops start-up here, with a message naming each variable, instead of
// failing on a first request; then the mail worker starts delivering and the
// clean-up job is scheduled.
import { EnvError, env } from "@/lib/env";

try {
  env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const { startMailWorker } = await import("./mail");
startMailWorker();
const { startCleanupSchedule } = await import("./cleanup");
startCleanupSchedule();
