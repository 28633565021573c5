// The OpenAPI 3.1 description of the /v1 API, served at /v1/openapi.json.
// Built from the same error table the handler uses; tests/api checks every
// route and every documented error against real responses.
import { API_ERRORS, type ApiErrorCode, FIELD_ERRORS } from "./errors";

const errorRef = { $ref: "#/components/schemas/Error" };

function responses(success: object, codes: ApiErrorCode[]) {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_ERRORS[code].status, [...(byStatus.get(API_ERRORS[code].status) ?? []), code]);
  const out: Record<string, object> = { "200": { description: "Success", content: { "application/json": { schema: success } } } };
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((code) => `${code}: ${API_ERRORS[code].message}`).join(" "),
      content: { "application/json": { schema: errorRef } },
      "x-error-codes": list,
    };
  }
  return out;
}

const COMMON: ApiErrorCode[] = [1000, 2001, 2002, 2003, 2004, 5000, 5003];
const ticketRef = {
  type: "object",
  required: ["ticket"],
  properties: { ticket: { type: "string", minLength: 1, description: "The ticket returned by the create endpoint." } },
};

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "Ticketgate tickets API",
      version: "1",
      description:
        "Create, use and delete one-time tickets to hand a user from one system to another (compatible with Authen's tickets API). Authenticate with `Authorization: Bearer <API key>`.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
    paths: {
      "/v1/tickets": {
        post: {
          operationId: "createTicket",
          summary: "Create a ticket",
          requestBody: {
            required: false,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    ttl: { type: "integer", minimum: 0, maximum: 315360000, description: "Seconds until the ticket expires; 0 = never. Default: the project's default ttl (60 s)." },
                    uses: { type: "integer", minimum: 0, maximum: 1000000000, description: "Times the ticket can be used; 0 = unlimited. Default 1." },
                    payload: { description: "Any JSON value, returned when the ticket is used. Size-capped per project (default 4,096 bytes)." },
                  },
                },
                example: { uses: 2, ttl: 50, payload: { user_id: 9001 } },
              },
            },
          },
          responses: responses(
            { type: "object", required: ["ticket"], properties: { ticket: { type: "string", description: "Opaque; assume nothing but a non-empty string." } } },
            [...COMMON, 102009, 102010],
          ),
        },
      },
      "/v1/tickets/use": {
        post: {
          operationId: "useTicket",
          summary: "Use a ticket: returns its payload and the uses left",
          requestBody: { required: true, content: { "application/json": { schema: ticketRef } } },
          responses: responses(
            {
              type: "object",
              required: ["uses", "payload"],
              properties: { uses: { type: ["integer", "null"], description: "Uses left; null for unlimited." }, payload: { description: "The payload given at creation, or null." } },
            },
            [...COMMON, 102011],
          ),
        },
      },
      "/v1/tickets/delete": {
        post: {
          operationId: "deleteTicket",
          summary: "Delete a ticket",
          requestBody: { required: true, content: { "application/json": { schema: ticketRef } } },
          responses: responses(
            {
              type: "object",
              required: ["uses", "deleted"],
              properties: { uses: { type: ["integer", "null"], description: "Uses the ticket had left; null for unlimited or unknown." }, deleted: { type: "integer", enum: [0, 1] } },
            },
            COMMON,
          ),
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A project API key (tg_…), created with `npm run api:project -- <name>`." } },
      schemas: {
        Error: {
          type: "object",
          required: ["code", "error"],
          properties: {
            code: { type: "integer", enum: Object.keys(API_ERRORS).map(Number) },
            error: { type: "string" },
            invalid: {
              type: "array",
              description: "With code 1000: each invalid field.",
              items: {
                type: "object",
                required: ["field", "code", "error"],
                properties: { field: { type: "string" }, code: { type: "integer", enum: Object.keys(FIELD_ERRORS).map(Number) }, error: { type: "string" } },
              },
            },
          },
        },
      },
    },
  };
  return cached;
}
