// The supervisor behind `npm run start:cluster` (scripts/cluster.ts): starts
// the instances, and starts one again when it exits or stops answering.
//
// A process whose event loop is stuck (an endless loop, a runaway render)
// never exits, so restarting on exit alone would leave it dead for good. Each
// instance's GET /api/health is polled: any HTTP answer counts as alive — a
// 503 too, since the process is up and recovers by itself when its database
// is back. After `misses` checks in a row without an answer in time, the
// instance is killed with SIGKILL (a blocked process never runs a SIGTERM
// handler) and the exit handler starts it again. Misses do not count while an
// instance boots: until it has answered once, or `graceMs` after its start.
import { type ChildProcess, spawn } from "node:child_process";

import { plural } from "@/lib/format";

export interface LivenessPolicy {
  /** Time from one health check of an instance to the next. */
  intervalMs: number;
  /** A check not answered within this is missed. */
  timeoutMs: number;
  /** Missed checks in a row that get an instance killed. */
  misses: number;
  /** Start-up time: misses count only once the instance has answered, or this long after its start. */
  graceMs: number;
}

export const DEFAULT_LIVENESS: LivenessPolicy = { intervalMs: 2_000, timeoutMs: 2_000, misses: 3, graceMs: 60_000 };

export type Verdict = "alive" | "booting" | "missed" | "dead";

/** Judges the health checks of one instance started at `startedAt`; `now` is each check's time. */
export function createLiveness(policy: LivenessPolicy, startedAt: number) {
  let answeredOnce = false;
  let missed = 0;
  return {
    record(answered: boolean, now: number): Verdict {
      if (answered) {
        answeredOnce = true;
        missed = 0;
        return "alive";
      }
      if (!answeredOnce && now - startedAt < policy.graceMs) return "booting";
      missed += 1;
      return missed >= policy.misses ? "dead" : "missed";
    },
  };
}

/** Whether `url` answers at all (any status) within `timeoutMs`. */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** The address to check an instance at: loopback when it listens on every interface. */
export function healthCheckHost(listenHost: string | undefined): string {
  if (!listenHost || listenHost === "0.0.0.0" || listenHost === "::") return "127.0.0.1";
  return listenHost.includes(":") ? `[${listenHost}]` : listenHost;
}

export interface ClusterOptions {
  count: number;
  /** Instance i (from 0) listens on basePort + i, given to it as PORT. */
  basePort: number;
  /** The program every instance runs: executable, then arguments. */
  command: readonly [string, ...string[]];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the instances answer health checks (healthCheckHost). */
  host?: string;
  liveness?: Partial<LivenessPolicy>;
  restartDelayMs?: number;
  log?: (line: string) => void;
}

export interface Cluster {
  /** SIGTERM to every instance (SIGKILL to those still running 10 s later); resolves once all have exited. */
  stop(): Promise<void>;
}

export function startCluster(options: ClusterOptions): Cluster {
  const policy = { ...DEFAULT_LIVENESS, ...options.liveness };
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const log = options.log ?? ((line: string) => console.error(line));
  const host = options.host ?? "127.0.0.1";
  const children = new Set<ChildProcess>();
  let stopping: Promise<void> | null = null;
  let allExited = () => {};

  function start(index: number) {
    const name = `app-${index + 1}`;
    const port = options.basePort + index;
    const [executable, ...args] = options.command;
    const child = spawn(executable, args, { cwd: options.cwd, env: { ...options.env, PORT: String(port), INSTANCE_NAME: name }, stdio: "inherit" });
    children.add(child);
    const liveness = createLiveness(policy, Date.now());
    let exited = false;
    let timer: NodeJS.Timeout | undefined;

    async function check() {
      const began = Date.now();
      const verdict = liveness.record(await answers(`http://${host}:${port}/api/health`, policy.timeoutMs), Date.now());
      if (exited || stopping) return;
      if (verdict === "dead") {
        log(`cluster: ${name} (pid ${child.pid}) missed ${plural(policy.misses, "health check")} in a row (no answer within ${policy.timeoutMs / 1000} s); killing it`);
        child.kill("SIGKILL");
        return;
      }
      // Checks start intervalMs apart, however long each took to miss.
      timer = setTimeout(check, Math.max(0, policy.intervalMs - (Date.now() - began)));
    }
    timer = setTimeout(check, policy.intervalMs);

    child.on("exit", (code, signal) => {
      exited = true;
      clearTimeout(timer);
      children.delete(child);
      if (stopping) {
        if (children.size === 0) allExited();
        return;
      }
      log(`cluster: ${name} stopped (${signal ?? `exit ${code}`}); starting it again in ${restartDelayMs / 1000} s`);
      setTimeout(() => {
        if (!stopping) start(index);
      }, restartDelayMs);
    });
  }

  for (let i = 0; i < options.count; i++) start(i);

  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        allExited = resolve;
        if (children.size === 0) return resolve();
        for (const child of children) child.kill("SIGTERM");
        setTimeout(() => {
          for (const child of children) child.kill("SIGKILL");
        }, 10_000).unref();
      });
      return stopping;
    },
  };
}
