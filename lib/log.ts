// Structured logs: one JSON object per line on stdout (errors on stderr), so
// a log shipper can index them without parsing prose. Events are named
// "area.what" (request, mail.failed, cleanup.done…); README, Operations,
// lists them. Never pass a ticket, a code, a password, a key or a mail body:
// fields are values the operator may see, and paths go through redactPath.
export type LogLevel = "info" | "warn" | "error";

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Info lines written in one go per turn of the event loop: on Linux a write
 * to stdout (file or pipe) is a synchronous system call, and one per request
 * was a measurable share of the API's time. Warnings and errors go out at
 * once; what is pending is written before the process exits.
 */
let pending: string[] = [];
let flushScheduled = false;

function flushInfo(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const text = pending.join("");
  pending = [];
  process.stdout.write(text);
}

process.once("exit", flushInfo);

let sink: (level: LogLevel, line: string) => void = (level, line) => {
  if (level !== "info") {
    flushInfo();
    process.stderr.write(`${line}\n`);
    return;
  }
  pending.push(`${line}\n`);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushInfo);
  }
};

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, event };
  // Several processes writing to one log (npm run start:cluster) say which they are.
  if (process.env.INSTANCE_NAME) entry.instance = process.env.INSTANCE_NAME;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) entry[key] = value;
  sink(level, JSON.stringify(entry));
}

/** Replaces where lines go (tests). Returns the previous sink. */
export function setLogSink(next: (level: LogLevel, line: string) => void): (level: LogLevel, line: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

/**
 * A request path fit for a log: the query string dropped (it may carry an
 * address or a return path) and every secret-bearing segment replaced —
 * /ticket/<ticket> → /ticket/:ticket. Ticket values travel in the path only there.
 */
export function redactPath(url: string | undefined): string {
  const path = (url ?? "").split(/[?#]/, 1)[0] ?? "";
  return path.replace(/^\/ticket\/[^/]+/, "/ticket/:ticket").slice(0, 200);
}
