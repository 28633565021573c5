// How the app writes moments, counts and waits — on pages, in the console and
// in mails alike. Moments are UTC and year first ("2026-11-24 09:05"), so a
// person, an administrator and a mail about the same event show the same time
// whatever zone the server or the browser is in.

/** "1 session", "2 sessions"; `units` for irregular plurals ("entries"). */
export function plural(count: number, unit: string, units = `${unit}s`): string {
  return `${count} ${noun(count, unit, units)}`;
}

/** The word alone, for a count shown apart (in bold, say): "ticket" for 1, "tickets" otherwise. */
export function noun(count: number, unit: string, units = `${unit}s`): string {
  return count === 1 ? unit : units;
}

/** A large count in words, with thousands separated: "1 ticket", "12,345 tickets". */
export function formatCount(count: number, unit: string, units = `${unit}s`): string {
  return `${formatNumber(count)} ${noun(count, unit, units)}`;
}

/** The text with its first letter in capitals, for a phrase that starts a line ("an unknown browser" → "An unknown browser"). */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Please wait 40 seconds" / "… 3 minutes": how long until a rate limit lets the person try again. */
export function waitText(seconds: number): string {
  if (seconds < 90) return plural(seconds, "second");
  return plural(Math.ceil(seconds / 60), "minute");
}

/** A countdown's time left: "0:42", "1:05", "12:00". */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** How long a mailed link works: 15 → "15 minutes", 60 → "1 hour", 90 → "1 hour and 30 minutes". */
export function formatMinutes(minutes: number): string {
  const total = Math.max(1, Math.round(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return plural(rest, "minute");
  return rest === 0 ? plural(hours, "hour") : `${plural(hours, "hour")} and ${plural(rest, "minute")}`;
}

/** A moment's UTC parts; toISOString is UTC whatever the process's zone. */
function utc(date: Date): { day: string; monthDay: string; time: string; seconds: string } {
  const iso = date.toISOString();
  return { day: iso.slice(0, 10), monthDay: iso.slice(5, 10), time: iso.slice(11, 16), seconds: iso.slice(11, 19) };
}

/** "2026-11-24 09:05 UTC": a moment in a sentence (pages, mails). */
export function formatWhen(date: Date): string {
  return `${formatDate(date)} UTC`;
}

/** "2026-11-24 09:05": a table cell under a page that says times are UTC; `fallback` when there is no date. */
export function formatDate(date: Date | null | undefined, fallback = "—"): string {
  if (!date) return fallback;
  const { day, time } = utc(date);
  return `${day} ${time}`;
}

/** For dense tables: "11-24 09:05", with the year only when it is not the current one. */
export function formatShortDate(date: Date | null | undefined, fallback = "—", now = new Date()): string {
  if (!date) return fallback;
  if (date.getUTCFullYear() !== now.getUTCFullYear()) return formatDate(date);
  const { monthDay, time } = utc(date);
  return `${monthDay} ${time}`;
}

/** "09:05". */
export function formatTime(date: Date): string {
  return utc(date).time;
}

/** "2026-11-24 09:05:07 UTC": where seconds matter (audit, events, mail delivery). */
export function formatDateSeconds(date: Date | null | undefined, fallback = "—"): string {
  if (!date) return fallback;
  return `${formatStamp(date)} UTC`;
}

/** "2026-11-24 09:05:07": the same, in a table column whose heading says UTC. */
export function formatStamp(date: Date | null | undefined, fallback = "—"): string {
  if (!date) return fallback;
  const { day, seconds } = utc(date);
  return `${day} ${seconds}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString("en-GB");
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}

/** A ttl in seconds, in short units: "15 min", "2 h", "60 s". */
export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
