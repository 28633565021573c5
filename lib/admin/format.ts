// How the console writes dates and numbers: UTC always, so every
// administrator reads the same time whatever their browser says.
const when = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hourCycle: "h23" });
const whenSeconds = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export function formatDate(date: Date | null | undefined, fallback = "—"): string {
  return date ? when.format(date) : fallback;
}

const shortWhen = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hourCycle: "h23" });

/** For dense tables: the year only when it is not the current one. */
export function formatShortDate(date: Date | null | undefined, fallback = "—", now = new Date()): string {
  if (!date) return fallback;
  return date.getUTCFullYear() === now.getUTCFullYear() ? shortWhen.format(date) : when.format(date);
}

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export function formatTime(date: Date): string {
  return time.format(date);
}

export function formatDateSeconds(date: Date | null | undefined, fallback = "—"): string {
  return date ? `${whenSeconds.format(date)} UTC` : fallback;
}

export function formatNumber(n: number): string {
  return n.toLocaleString("en-GB");
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}

/** A ttl in seconds, in words: "15 min", "2 h", "60 s". */
export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
