// The /v1 API's errors, declared once. Bodies follow Authen's shape: a
// numeric code and a message; validation errors list each invalid field with
// its own code. docs/api.md and /v1/openapi.json document the same table.

export const API_ERRORS = {
  1000: { status: 400, message: "The request is invalid; see `invalid` for each field." },
  2001: { status: 401, message: "Missing or invalid API key." },
  2002: { status: 403, message: "This API project is disabled." },
  2003: { status: 400, message: "The body is not valid JSON." },
  2004: { status: 413, message: "The body is too large." },
  2005: { status: 405, message: "Method not allowed; the API takes POST." },
  2006: { status: 404, message: "No such API route." },
  5000: { status: 500, message: "Internal error." },
  5003: { status: 503, message: "The database is unavailable; try again shortly." },
  102009: { status: 403, message: "The project has reached the maximum configured tickets." },
  102010: { status: 400, message: "The payload is larger than the project allows." },
  102011: { status: 404, message: "The ticket is unknown, used up, expired or deleted." },
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** Field-level validation codes (inside a 1000 error). */
export const FIELD_ERRORS = {
  1002: "is required",
  1005: "has the wrong type",
  1006: "is below the minimum",
  1007: "is above the maximum",
} as const;
export type FieldErrorCode = keyof typeof FIELD_ERRORS;

export interface FieldError {
  field: string;
  code: FieldErrorCode;
  error: string;
}

export interface ApiErrorBody {
  code: ApiErrorCode;
  error: string;
  invalid?: FieldError[];
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly invalid?: FieldError[],
    message: string = API_ERRORS[code].message,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }

  body(): ApiErrorBody {
    return this.invalid ? { code: this.code, error: this.message, invalid: this.invalid } : { code: this.code, error: this.message };
  }
}
