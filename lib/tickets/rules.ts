// The ticket rules, written once: which tickets are live, which a new ticket
// supersedes, what a list filter selects, what clean-up removes. Each is a
// Condition — data, not code — that the stores compile (to SQL in
// lib/db/sqlite-ticket-store.ts, to a Prisma `where` in
// lib/db/prisma-ticket-store.ts) and that `holds` evaluates on a record for the
// core. Change a rule here and every store follows.
import type { Condition, RuleColumn, RuleParam, RuleParams, SupersedeScope, TicketFilter, TicketRecord, TicketState } from "./types";

const NOW: RuleParam = { param: "now" };
const OPEN: Condition = { column: "state", is: "=", value: "open" };

/** Open and not past its expiry: the ticket can still be used, and counts against a project's limit. */
export const LIVE: Condition = { all: [OPEN, { any: [{ column: "expiresAt", is: "null" }, { column: "expiresAt", is: ">", value: NOW }] }] };

/** Open in the store but past its expiry: expired, though nobody has written it down yet. */
export const LAPSED: Condition = { all: [OPEN, { column: "expiresAt", is: "<=", value: NOW }] };

/** The reason recorded on a ticket a newer one replaced. */
export const SUPERSEDED_REASON = "a newer ticket was issued";

/**
 * The tickets a new one replaces (OTOBO's "WrongLink"): the same owner's open
 * tickets of its type and domain, given the new ticket's id. The owner is the
 * address when there is one, else the account; a ticket with neither
 * replaces nothing (null).
 */
export function supersededBy(scope: SupersedeScope): ((newId: string) => Condition) | null {
  const owner: Condition | null =
    scope.email !== null ? { column: "email", is: "=", value: scope.email } : scope.userId !== null ? { column: "userId", is: "=", value: scope.userId } : null;
  if (!owner) return null;
  return (newId) => ({ all: [owner, { column: "type", is: "=", value: scope.type }, { column: "domain", is: "=", value: scope.domain }, OPEN, { column: "id", is: "<>", value: newId }] });
}

/** What clean-up removes (Bugzilla's CleanTokenTable): tickets that ended before `before`, and open ones whose expiry passed before it. */
export function dueForCleanup(before: Date): Condition {
  return {
    any: [
      { all: [{ column: "state", is: "<>", value: "open" }, { column: "endedAt", is: "<", value: before }] },
      { all: [OPEN, { column: "expiresAt", is: "<", value: before }] },
    ],
  };
}

/** A list filter as a rule. States are the ones the core reports: "open" is live, "expired" includes lapsed tickets. */
export function matching(filter: TicketFilter): Condition {
  const all: Condition[] = [];
  const equal = (column: RuleColumn, value: string | undefined) => {
    if (value) all.push({ column, is: "=", value });
  };
  if (filter.state === "open") all.push(LIVE);
  else if (filter.state === "expired") all.push({ any: [{ column: "state", is: "=", value: "expired" }, LAPSED] });
  else equal("state", filter.state);
  equal("type", filter.type);
  // Every ticket but an API ticket has an address; saying so lets the stores use
  // the index by kind, which leaves out API tickets (docs/decisions/0019).
  if (filter.type && filter.type !== "api") all.push({ column: "email", is: "notnull" });
  equal("email", filter.email);
  if (filter.emailContains) all.push({ column: "email", is: "containing", value: filter.emailContains.toLowerCase() });
  equal("domain", filter.domain);
  equal("projectId", filter.projectId);
  equal("userId", filter.userId);
  if (filter.owner) {
    // Issued to the person by address or by account; an owner with neither owns nothing.
    const { email, userId } = filter.owner;
    all.push({ any: [...(email ? [{ column: "email", is: "=", value: email } as const] : []), ...(userId ? [{ column: "userId", is: "=", value: userId } as const] : [])] });
  }
  if (filter.createdFrom) all.push({ column: "createdAt", is: ">=", value: filter.createdFrom });
  if (filter.createdTo) all.push({ column: "createdAt", is: "<", value: filter.createdTo });
  return { all };
}

/** The tickets after a list cursor, newest first: created earlier, or at the same time with a smaller id. */
export function listedAfter(createdAt: Date, id: string): Condition {
  return {
    any: [
      { column: "createdAt", is: "<", value: createdAt },
      { all: [{ column: "createdAt", is: "=", value: createdAt }, { column: "id", is: "<", value: id }] },
    ],
  };
}

/** Evaluates a rule on a record, as the databases do. */
export function holds(condition: Condition, record: TicketRecord, params: RuleParams): boolean {
  if ("all" in condition) return condition.all.every((part) => holds(part, record, params));
  if ("any" in condition) return condition.any.some((part) => holds(part, record, params));
  const actual = record[condition.column];
  if (condition.is === "null") return actual === null;
  if (condition.is === "notnull") return actual !== null;
  if (actual === null) return false;
  if (condition.is === "containing") return (actual as string).toLowerCase().includes(condition.value);
  // Dates compare as fixed-width ISO text, as the stores compare them.
  const a = actual instanceof Date ? actual.toISOString() : actual;
  const raw = condition.value;
  const b = raw instanceof Date ? raw.toISOString() : typeof raw === "object" ? params[raw.param].toISOString() : raw;
  switch (condition.is) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** The state the core reports: an open ticket past its expiry is "expired" before anyone writes it down. */
export function effectiveState(record: TicketRecord, now: Date): TicketState {
  return holds(LAPSED, record, { now }) ? "expired" : record.state;
}

/** Clean-up's count by state, with tickets removed while open (past their expiry) counted as expired. */
export function reportedStates(byState: Partial<Record<TicketState, number>>): Partial<Record<TicketState, number>> {
  const { open, ...rest } = byState;
  if (open) rest.expired = (rest.expired ?? 0) + open;
  return rest;
}
