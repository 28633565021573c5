// Pages during a database outage: 503 with Retry-After, not 500.
//
// A page that cannot reach the database throws, and Next.js answers 500 with
// the app's error page. To load balancers and monitors that reads as a bug;
// an outage should read as "unavailable, try again". server.ts keeps a probe
// of the database (one `SELECT 1` every few seconds) and, while it fails,
// turns a page's 500 into 503 with Retry-After. The page shown stays the same
// (app/error.tsx). The /v1 API and /api/health answer 503 themselves.
import type { ServerResponse } from "node:http";

export interface OutageProbe {
  /** True after the latest check failed. */
  isDown(): boolean;
  /** Checks now and returns whether the database is down. */
  probeNow(): Promise<boolean>;
  stop(): void;
}

/** Runs `check` every `intervalMs` (a check slower than `timeoutMs` counts as a failure). */
export function createOutageProbe(check: () => Promise<unknown>, options: { intervalMs?: number; timeoutMs?: number } = {}): OutageProbe {
  const intervalMs = options.intervalMs ?? 3_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let down = false;
  let running: Promise<boolean> | null = null;

  function probeNow(): Promise<boolean> {
    running ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs)))]);
        down = false;
      } catch {
        down = true;
      } finally {
        clearTimeout(timer);
        running = null;
      }
      return down;
    })();
    return running;
  }

  const interval = setInterval(() => void probeNow(), intervalMs);
  interval.unref();
  return { isDown: () => down, probeNow, stop: () => clearInterval(interval) };
}

/**
 * Makes `res` answer 503 (Retry-After: 5) instead of 500 while `isDown()`;
 * anything else passes unchanged. A 500 while the probe still says "up" calls
 * `onServerError` (server.ts probes at once, so the next requests know).
 */
export function answerOutagesWith503(res: ServerResponse, isDown: () => boolean, onServerError: () => void = () => {}): void {
  const writeHead = res.writeHead;
  // Node's implicit headers (res.end() without writeHead) go through writeHead too.
  res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (statusCode === 500 && isDown()) {
      statusCode = 503;
      this.statusCode = 503;
      this.setHeader("Retry-After", "5");
    } else if (statusCode === 500) {
      onServerError();
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  } as ServerResponse["writeHead"];
}
