// Request bodies of the /v1 API, checked by hand rather than with zod: the
// error codes are the API's contract (1002 required, 1005 wrong type, 1006
// below minimum, 1007 above maximum), and this runs on the hot path.
import { ApiError, FIELD_ERRORS, type FieldError, type FieldErrorCode } from "./errors";

const MAX_TTL = 10 * 365 * 86_400;
const MAX_USES = 1_000_000_000;

function issue(field: string, code: FieldErrorCode, detail?: string): FieldError {
  return { field, code, error: detail ? `${field} ${FIELD_ERRORS[code]}: ${detail}` : `${field} ${FIELD_ERRORS[code]}` };
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(1000, [issue("body", 1005, "expected a JSON object")]);
  return body as Record<string, unknown>;
}

function wholeNumber(value: unknown, field: string, max: number, problems: FieldError[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.push(issue(field, 1005, "expected a whole number"));
    return undefined;
  }
  if (value < 0) problems.push(issue(field, 1006, "minimum 0"));
  else if (value > max) problems.push(issue(field, 1007, `maximum ${max}`));
  return value;
}

export interface CreateRequest {
  /** Seconds; 0 = never expires; undefined = the project's default. */
  ttl?: number;
  /** 0 = unlimited; undefined = 1. */
  uses?: number;
  payload?: unknown;
}

export function parseCreate(body: unknown): CreateRequest {
  const input = asObject(body);
  const problems: FieldError[] = [];
  const ttl = wholeNumber(input.ttl, "ttl", MAX_TTL, problems);
  const uses = wholeNumber(input.uses, "uses", MAX_USES, problems);
  if (problems.length) throw new ApiError(1000, problems);
  return { ttl, uses, payload: input.payload ?? null };
}

export function parseTicketRef(body: unknown): string {
  const input = asObject(body);
  if (input.ticket === undefined || input.ticket === null) throw new ApiError(1000, [issue("ticket", 1002)]);
  if (typeof input.ticket !== "string") throw new ApiError(1000, [issue("ticket", 1005, "expected a string")]);
  return input.ticket;
}
