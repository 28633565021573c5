/** The database engines the product runs on; chosen by DATABASE_URL's scheme. */
export type Engine = "sqlite" | "postgresql";

export function engineOf(url: string): Engine {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgres://" / "postgresql://" (PostgreSQL), got "${redactUrl(url)}"`);
}

/** The path of a SQLite `file:` URL (relative paths are relative to the working directory). */
export function sqlitePath(url: string): string {
  return url.slice("file:".length).replace(/\?.*$/, "");
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}
