// Stored actions (Sympa's `data`): where a person lands after using a ticket.
//
// An action is a relative path such as "subrequest/foo", matched against a
// registry of known patterns. It becomes a redirect, so anything that a
// browser could read as another origin — "//host", "/\host", "https:",
// "javascript:", percent-encoded or control characters — is refused, when the
// ticket is made and again when it is used. The rule is an allow-list of
// characters and whole segments, not a block-list of tricks.

export type ActionPathCheck = { ok: true; path: string } | { ok: false; reason: string };

export interface ActionPathRegistry {
  /** The registered patterns, e.g. ["account", "subrequest/:list"]. */
  readonly patterns: readonly string[];
  /** Checks an action path; on success returns its canonical form (no leading slash). */
  check(path: unknown): ActionPathCheck;
  /** The same-origin URL path to redirect to, or null when the action is not acceptable. */
  redirectPath(path: unknown): string | null;
}

const MAX_LENGTH = 200;
/** Unreserved URL characters and "/" only: no "%", "\", ":", "@", "?", "#", whitespace or controls. */
const SAFE_CHARS = /^[A-Za-z0-9._~/-]+$/;
const LITERAL_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;
const PARAM_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A pattern whose parameters have their own, stricter, rule (each still within the safe characters). */
export interface StrictActionPattern {
  pattern: string;
  params: Record<string, RegExp>;
}

export function createActionPathRegistry(entries: readonly (string | StrictActionPattern)[]): ActionPathRegistry {
  const patterns = entries.map((entry) => (typeof entry === "string" ? entry : entry.pattern));
  const compiled = entries.map((entry) => {
    const pattern = typeof entry === "string" ? entry : entry.pattern;
    const segments = pattern.split("/");
    for (const segment of segments) {
      const literal = segment.startsWith(":") ? segment.slice(1) : segment;
      if (!LITERAL_SEGMENT.test(literal)) throw new Error(`invalid action pattern "${pattern}"`);
    }
    const params = typeof entry === "string" ? {} : entry.params;
    return segments.map((part) => ({ part, rule: part.startsWith(":") ? (params[part.slice(1)] ?? PARAM_SEGMENT) : null }));
  });

  function check(input: unknown): ActionPathCheck {
    if (typeof input !== "string") return { ok: false, reason: "the action must be a string" };
    if (input.length === 0 || input.length > MAX_LENGTH) return { ok: false, reason: `the action must be 1 to ${MAX_LENGTH} characters` };
    if (!SAFE_CHARS.test(input)) return { ok: false, reason: "the action may contain only letters, digits, '.', '_', '~', '-' and '/'" };
    // One leading slash is tolerated ("/account" means "account"); two are a host.
    const path = input.startsWith("/") && !input.startsWith("//") ? input.slice(1) : input;
    const segments = path.split("/");
    if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
      return { ok: false, reason: "the action must be a relative path without empty, '.' or '..' segments" };
    }
    const known = compiled.some(
      (pattern) =>
        pattern.length === segments.length &&
        pattern.every(({ part, rule }, i) => (rule ? rule.test(segments[i]!) : part === segments[i])),
    );
    if (!known) return { ok: false, reason: `unknown action "${path}"` };
    return { ok: true, path };
  }

  return {
    patterns: [...patterns],
    check,
    redirectPath(input) {
      const result = check(input);
      return result.ok ? `/${result.path}` : null;
    },
  };
}
