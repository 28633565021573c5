/** The database engines the product runs on; chosen by DATABASE_URL's scheme. */
export type Engine = "sqlite" | "postgresql";

/** The engine a DATABASE_URL names, or null for anything else. The only place that reads the scheme. */
export function databaseEngine(url: string): Engine | null {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\/./.test(url)) return "postgresql";
  return null;
}

/** The engine of a URL the environment already accepted; anything else is a bug worth stopping for. */
export function engineOf(url: string): Engine {
  const engine = databaseEngine(url);
  if (!engine) throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgres://" / "postgresql://" (PostgreSQL), got "${redactUrl(url)}"`);
  return engine;
}

/** The path of a SQLite `file:` URL (relative paths are relative to the working directory). */
export function sqlitePath(url: string): string {
  return url.slice("file:".length).replace(/\?.*$/, "");
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}
