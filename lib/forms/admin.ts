// Form and query schemas of the admin console, shared by the browser
// (react-hook-form) and the server actions, so both refuse the same input
// with the same words. Form values arrive as strings (FormData), so numbers
// and check boxes are parsed here rather than trusted.
import { z } from "zod";

import { formatNumber } from "@/lib/format";

import { MAX_REASON_LENGTH } from "@/lib/tickets/cancel";
import { TICKET_STATES, TICKET_TYPES } from "@/lib/tickets/types";

import { emailSchema } from "./email";

/** Row ids (cuid) and anything similar: short, URL-safe. */
export const idSchema = z.string({ error: "Missing id" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid id");

/** A whole number typed into a text field, within bounds. */
function wholeNumber(label: string, min: number, max: number) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .regex(/^\d{1,10}$/, `${label[0]!.toUpperCase()}${label.slice(1)} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${label[0]!.toUpperCase()}${label.slice(1)} must be at least ${min}`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be at most ${formatNumber(max)}`));
}

/** A check box: react-hook-form gives a boolean, a posted form "on" or nothing. */
const checkbox = z
  .union([z.boolean(), z.enum(["on", "true", "false"])])
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

export const cancelTicketSchema = z.object({
  ticketId: idSchema,
  reason: z
    .string({ error: "Give a reason; it is mailed to the person who asked for the link" })
    .trim()
    .min(3, "Give a reason of at least 3 characters; it is mailed to the person who asked for the link")
    .max(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters`),
});
export type CancelTicketInput = z.input<typeof cancelTicketSchema>;

/** "Clean up now" takes no input: the retention comes from TICKET_RETENTION_DAYS, never from the form. */
export const cleanupSchema = z.object({});

export const grantAdminSchema = z.object({ email: emailSchema });
export type GrantAdminInput = z.input<typeof grantAdminSchema>;

export const userRefSchema = z.object({ userId: idSchema });

export const setDisabledSchema = z.object({
  userId: idSchema,
  disabled: z.enum(["true", "false"], { error: "Say whether to disable or enable" }).transform((value) => value === "true"),
});

export const sessionRefSchema = z.object({ sessionId: idSchema });

export const projectNameSchema = z
  .string({ error: "Enter a name" })
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Use 1 to 63 lower-case letters, digits, - and _, starting with a letter or digit");

const limits = {
  maxLiveTickets: wholeNumber("the live ticket limit", 1, 10_000_000),
  maxPayloadBytes: wholeNumber("the payload limit", 1, 1_048_576),
  defaultTtl: wholeNumber("the default ttl", 1, 31_536_000),
};

export const createProjectSchema = z.object({ name: projectNameSchema, ...limits });
export type CreateProjectInput = z.input<typeof createProjectSchema>;

export const updateProjectSchema = z.object({ projectId: idSchema, ...limits, disabled: checkbox });
export type UpdateProjectInput = z.input<typeof updateProjectSchema>;

export const createKeySchema = z.object({
  projectId: idSchema,
  name: z.string().trim().max(60, "At most 60 characters").optional(),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

export const keyRefSchema = z.object({ keyId: idSchema });

// ---------------------------------------------------------------------------
// Apps that sign people in through Ticketgate (OpenID Connect, lib/oidc)
// ---------------------------------------------------------------------------

/** A redirect URI as registered: absolute http(s), no fragment, no credentials. Matched exactly (RFC 9700 §4.1.3). */
export const redirectUriSchema = z
  .string()
  .trim()
  .max(2000, "A redirect URI is at most 2,000 characters")
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.hash && !url.username && !url.password;
  }, "Enter absolute http(s) addresses without a #fragment, such as https://app.example.com/callback");

export const clientNameSchema = z.string({ error: "Name the app" }).trim().min(1, "Name the app").max(80, "At most 80 characters");

/** One address per line (a text area). */
function uriLines(required: boolean) {
  return z
    .string()
    .optional()
    .transform((text) => [...new Set((text ?? "").split(/\r?\n/).map((line) => line.trim()).filter(Boolean))])
    .pipe(z.array(redirectUriSchema).min(required ? 1 : 0, "Enter at least one redirect URI").max(20, "At most 20 addresses"));
}

export const createAppSchema = z.object({ name: clientNameSchema, redirectUris: uriLines(true), postLogoutRedirectUris: uriLines(false), public: checkbox, firstParty: checkbox });
export const updateAppSchema = z.object({ clientId: idSchema, redirectUris: uriLines(true), postLogoutRedirectUris: uriLines(false), firstParty: checkbox });
export const appRefSchema = z.object({ clientId: idSchema });

// ---------------------------------------------------------------------------
// Query strings (GET forms): a bad value is reported and ignored, never a 500.
// ---------------------------------------------------------------------------

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-24").refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Not a real date");

export const ticketQuerySchema = z.object({
  state: z.enum(TICKET_STATES, { error: "Unknown state" }).optional(),
  type: z.enum(TICKET_TYPES, { error: "Unknown type" }).optional(),
  email: emailSchema.optional(),
  q: z.string().trim().toLowerCase().max(254, "Search for at most 254 characters").optional(),
  domain: z.string().trim().toLowerCase().max(253).regex(/^[a-z0-9.-]*$/, "A domain is letters, digits, dots and dashes").optional(),
  project: idSchema.optional(),
  from: day.optional(),
  to: day.optional(),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, "Bad page cursor").optional(),
});
export type TicketQuery = z.output<typeof ticketQuerySchema>;

export const listQuerySchema = z.object({
  q: z.string().trim().toLowerCase().max(254, "Search for at most 254 characters").optional(),
  cursor: z.string().max(300).regex(/^[A-Za-z0-9_-]*$/, "Bad page cursor").optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * Parses a query object field by field: a bad field is dropped with its
 * message, the good ones still apply. Empty strings count as absent, and a
 * field given twice is refused.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: Record<string, string | string[] | undefined>): { values: Partial<z.output<S>>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const raw = params[key];
    if (raw === undefined || raw === "") continue;
    if (Array.isArray(raw)) {
      errors[key] = "Give this filter once";
      continue;
    }
    const parsed = field.safeParse(raw);
    if (parsed.success) {
      if (parsed.data !== undefined && parsed.data !== "") values[key] = parsed.data;
    } else errors[key] = parsed.error.issues[0]?.message ?? "Not valid";
  }
  return { values: values as Partial<z.output<S>>, errors };
}
