// The ticket rules (lib/tickets/rules.ts) as SQL, for the stores written on
// the raw drivers: better-sqlite3 (`?` placeholders, dates as Prisma's ISO
// text) and node-postgres (`$n` placeholders, dates as timestamp text).
import type { Condition, RuleParam, RuleParams, SpendScope } from "@/lib/tickets/types";

export interface SqlDialect {
  /** The placeholder for the value at 1-based position `n` of the statement. */
  placeholder(n: number): string;
  /** A date as the engine stores and compares it. */
  date(value: Date): unknown;
  /** "column contains the lower-case text", with `%` and `_` as plain characters. */
  containing(column: string, placeholder: string): string;
  /** "column is one of `values`"; `bind` adds a value to the statement and answers its placeholder. */
  oneOf(column: string, values: readonly string[], bind: (value: unknown) => string): string;
}

/** A rule as SQL: its WHERE text, the same for every rule of one shape, and its values for a "now". */
export interface SqlRule {
  sql: string;
  values(params: RuleParams): unknown[];
}

/**
 * Compiles `condition`; its placeholders are numbered from `first` (for `$n`
 * dialects). A parameter named in `inline` is written as that SQL expression
 * instead of a placeholder — a column of each row, in a statement for many
 * (lib/db/pg-batch.ts's uses, each at its own "now").
 */
export function compileRule(condition: Condition, dialect: SqlDialect, first = 1, inline: Partial<Record<RuleParam["param"], string>> = {}): SqlRule {
  const values: ((params: RuleParams) => unknown)[] = [];
  const walk = (c: Condition): string => {
    if ("all" in c) return c.all.length === 0 ? "1 = 1" : `(${c.all.map(walk).join(" AND ")})`;
    if ("any" in c) return c.any.length === 0 ? "0 = 1" : `(${c.any.map(walk).join(" OR ")})`;
    const column = `"${c.column}"`;
    if (c.is === "null") return `${column} IS NULL`;
    if (c.is === "notnull") return `${column} IS NOT NULL`;
    const value = c.value;
    const expression = typeof value === "object" && !(value instanceof Date) ? inline[value.param] : undefined;
    if (expression !== undefined) return `${column} ${c.is} ${expression}`;
    values.push(typeof value === "string" ? () => value : value instanceof Date ? () => dialect.date(value) : (params) => dialect.date(params[value.param]));
    const placeholder = dialect.placeholder(first + values.length - 1);
    return c.is === "containing" ? dialect.containing(column, placeholder) : `${column} ${c.is} ${placeholder}`;
  };
  const sql = walk(condition);
  return { sql, values: (params) => values.map((value) => value(params)) };
}

/**
 * The conditions a use's scope adds to its UPDATE (lib/tickets/spend.ts's
 * withinScope says the same in JavaScript), with their values; placeholders
 * are numbered from `first`. Unset parts add nothing; a null project means
 * "a ticket of no project".
 */
export function compileScope(scope: SpendScope, dialect: SqlDialect, first: number): { sql: string[]; values: unknown[] } {
  const sql: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return dialect.placeholder(first + values.length - 1);
  };
  if (scope.domain !== undefined) sql.push(`"domain" = ${bind(scope.domain)}`);
  if (scope.projectId === null) sql.push(`"projectId" IS NULL`);
  else if (scope.projectId !== undefined) sql.push(`"projectId" = ${bind(scope.projectId)}`);
  if (scope.types !== undefined) sql.push(dialect.oneOf(`"type"`, scope.types, bind));
  return { sql, values };
}

/**
 * A short name for the shape of a scope — which parts are set, and how many
 * types — to name or key the one prepared statement of each shape.
 */
export function scopeShape(scope: SpendScope): string {
  return `${scope.domain !== undefined ? "d" : ""}${scope.projectId === null ? "n" : scope.projectId !== undefined ? "p" : ""}${scope.types ? `t${scope.types.length}` : ""}`;
}

/**
 * The SET of a use, in every store's UPDATE: one use fewer, one more
 * counted, and the last one closes the ticket. SET expressions see the row as
 * it was, so `"usesLeft" = 1` means "this is the last use". `at`, `ip` and
 * `ua` are SQL for the use's time, address and browser; they appear in the
 * order at, at, ip, ua, at (for `?` placeholders, bind in that order).
 */
export function spendAssignments(at: string, ip: string, ua: string): string {
  return `"usesLeft" = "usesLeft" - 1, "useCount" = "useCount" + 1,
    "state" = CASE WHEN "usesLeft" = 1 THEN 'closed' ELSE "state" END,
    "endedAt" = CASE WHEN "usesLeft" = 1 THEN ${at} ELSE "endedAt" END,
    "lastUsedAt" = ${at}, "lastUsedIp" = ${ip}, "lastUsedUa" = ${ua}, "updatedAt" = ${at}`;
}
