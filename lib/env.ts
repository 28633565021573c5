// The environment, parsed once with zod. A missing or malformed variable
// stops start-up (instrumentation.ts) and every command (scripts/*) with a
// message naming it. .env.example documents each variable.
import { z } from "zod";

import { databaseEngine } from "@/lib/db/engine";
import { normalizeEmail } from "@/lib/forms/email";

const DEV_AUTH_SECRET = "development-only-secret-do-not-use-in-production";

const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: 'expected "true" or "false"' })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const databaseUrlSchema = z
  .string()
  .default("file:./data/app.db")
  .refine((url) => databaseEngine(url) !== null, 'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)');

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** file:… → SQLite (default), postgres(ql)://… → PostgreSQL. */
    DATABASE_URL: databaseUrlSchema,
    /** The public URL people reach the app at; every link in a mail is built from it, never from the request. */
    APP_URL: z
      .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL such as https://auth.example.com" })
      .default("http://localhost:3000")
      .refine((url) => {
        // zod runs refinements after a failed check too; the url check has already reported those.
        if (!URL.canParse(url)) return true;
        const parsed = new URL(url);
        return parsed.pathname === "/" && !parsed.search && !parsed.hash && !parsed.username;
      }, "must be an origin only (scheme, host, optional port), without a path, query or credentials")
      .transform((url) => new URL(url).origin),
    /** Signs next-auth's CSRF tokens; at least 32 characters. Required in production. */
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)").optional(),
    /** Tenant of the tickets this instance issues (Sympa's robot). Default: APP_URL's host name. */
    TICKET_DOMAIN: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "must be a lower-case host name")
      .optional(),
    /** Days a used, expired or revoked ticket is kept for the history before clean-up removes it. */
    TICKET_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    /** Minutes between two runs of the clean-up job inside the app; 0 turns the schedule off (run `npm run cleanup` from cron instead). */
    CLEANUP_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
    /** Largest ticket payload, in bytes of JSON. */
    TICKET_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(0).max(1_048_576).default(4096),
    /** One JSON log line per HTTP request (method, path with ticket values redacted, status, time, client). */
    LOG_REQUESTS: boolean.default(true),
    /** Links matching no ticket that one client address may open per hour; past it, every link from that address waits. */
    TICKET_GUESSES_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Read the client address from X-Forwarded-For (only behind a proxy you run). */
    TRUST_PROXY: boolean.default(false),
    /** SMTP relay, e.g. smtps://user:pass@smtp.example.com:465. Unset: mail goes to OUTBOX_DIR as .eml files. */
    SMTP_URL: z
      .string()
      .refine((url) => /^smtps?:\/\/./.test(url), 'must start with "smtp://" or "smtps://"')
      .optional(),
    /** The From: of every mail. */
    MAIL_FROM: z.string().min(3).default("Ticketgate <no-reply@localhost>"),
    /** Where mail goes when SMTP_URL is unset (the embedded default). */
    OUTBOX_DIR: z.string().min(1).default("./data/outbox"),
    /** "open": a first sign-in creates the account; "closed": unknown addresses get no mail. */
    SIGNUP: z.enum(["open", "closed"]).default("open"),
    /** Minutes a sign-in link (and its code) stays valid. */
    LOGIN_TICKET_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Seconds between two sign-in links to one address. */
    LOGIN_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Sign-in links to one address per hour. */
    LOGIN_MAX_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
    /** Sign-in link requests from one client address per hour. */
    LOGIN_MAX_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
    /** Minutes a password reset link stays valid. */
    PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    /** Hours a new-account confirmation link stays valid. */
    SIGNUP_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    /** Days an e-mail change can be confirmed (new address) or undone (old address). */
    EMAIL_CHANGE_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(3),
    /** Seconds between two password reset or new-account mails to one address (Bugzilla's "too soon"). */
    ACCOUNT_MAIL_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Wrong passwords allowed per address in PASSWORD_FAILURE_WINDOW_MINUTES; then password sign-in pauses (the mailed link still works). */
    PASSWORD_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
    /** Wrong passwords allowed per client address in PASSWORD_FAILURE_WINDOW_MINUTES. */
    PASSWORD_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
    /** The window the two limits above count in. */
    PASSWORD_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Days a session lasts without use. */
    SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Days a refresh token issued to an app (OpenID Connect, scope offline_access) lasts; each use replaces it with a new one. */
    OIDC_REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    /** Bearer token that shows the mail queue in GET /api/health (monitoring); unset: only administrators see it. */
    HEALTH_TOKEN: z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)").optional(),
    /** Addresses that are administrators (comma-separated); the console can grant the role to others. */
    ADMIN_EMAILS: z
      .string()
      .default("")
      .transform((list, ctx) => {
        const emails: string[] = [];
        for (const item of list.split(",").map((part) => part.trim()).filter(Boolean)) {
          const normalized = normalizeEmail(item);
          if (normalized.ok) emails.push(normalized.email);
          else ctx.addIssue({ code: "custom", message: `has an entry that is not one e-mail address: ${JSON.stringify(item)} (${normalized.error})` });
        }
        return emails;
      }),
  })
  .transform((env, ctx) => {
    if (!env.AUTH_SECRET && env.NODE_ENV === "production") {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production (generate one with: openssl rand -base64 32)" });
      return z.NEVER;
    }
    return {
      ...env,
      AUTH_SECRET: env.AUTH_SECRET ?? DEV_AUTH_SECRET,
      TICKET_DOMAIN: env.TICKET_DOMAIN ?? new URL(env.APP_URL).hostname,
    };
  });

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

/** Parses an environment; empty strings count as unset. Throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  return result.data;
}

/** DATABASE_URL alone, for commands that need nothing else (db:migrate). */
export function parseDatabaseUrl(source: Record<string, string | undefined>): string {
  const result = databaseUrlSchema.safeParse(source.DATABASE_URL || undefined);
  if (!result.success) throw new EnvError(result.error.issues.map((issue) => `DATABASE_URL ${issue.message}`));
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
