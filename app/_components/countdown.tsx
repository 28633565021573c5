// The wait before another link may be asked for, counted down live: the
// check page's "Send a new link" and the failure pages' "Send me a new link".
// Server HTML and no JavaScript: the wait in words, and the button posts (the
// server answers an early press with the same wait). Hydrated: a clock, and
// the button is held until it reaches zero. Used by client components only.
import { useEffect, useState, useSyncExternalStore } from "react";

import { formatClock, plural } from "@/lib/format";

const noSubscription = () => () => {};

/**
 * Seconds left of `waitSeconds`, counting down once hydrated; `live` is false
 * in the server's HTML and without JavaScript. `restart`: a value that
 * changes when the same wait starts over (a new answer from the server).
 */
export function useCountdown(waitSeconds: number, restart?: unknown): { left: number; live: boolean } {
  const live = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [left, setLeft] = useState(waitSeconds);
  // A new wait (another answer) starts from its own figure at once, not from what the last one left.
  const [started, setStarted] = useState({ waitSeconds, restart });
  if (started.waitSeconds !== waitSeconds || started.restart !== restart) {
    setStarted({ waitSeconds, restart });
    setLeft(waitSeconds);
  }
  useEffect(() => {
    if (waitSeconds <= 0) return;
    const until = Date.now() + waitSeconds * 1000;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [waitSeconds, restart]);
  return { left, live };
}

/** The line under the button: how long until another link, or that one may be asked for now. */
export function WaitNote({ left, live, ready }: { left: number; live: boolean; ready: string }) {
  return (
    <p className="muted small" role="timer" aria-live="off" data-wait={left}>
      {left > 0 ? (live ? `You can ask for a new link in ${formatClock(left)}.` : `You can ask for a new link in about ${plural(left, "second")}.`) : ready}
    </p>
  );
}
