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

const { runtime } = await import("@/lib/runtime");
const { mailer } = runtime();
mailer.start();
process.once("SIGTERM", () => {
  // A listener replaces Node's default exit on SIGTERM. When no other part of
  // the process handles the signal (server.ts does), raise it again once the
  // delivery in flight has finished, so the process still ends.
  const alone = process.listenerCount("SIGTERM") === 0;
  void mailer.stop().finally(() => {
    if (alone) process.kill(process.pid, "SIGTERM");
  });
});
const { startCleanupSchedule } = await import("@/lib/jobs/schedule");
startCleanupSchedule();
