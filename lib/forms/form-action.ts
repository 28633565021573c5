// One door for every form's server action: the same checks in the same order,
// so no form can forget one — same origin, who may send it, the ticket
// guessing limit, and only then reading the body (a form, or a clear refusal
// for anything else) and the form's zod schema — then the work, whose
// outcome the form turns into what it shows. Framework-free: the request is
// passed in (form-action.server.ts binds it to Next.js), so tests drive it.
import type { z } from "zod";

import type { AdminCheck, AdminIdentity } from "@/lib/admin/access";
import { waitText } from "@/lib/format";
import type { Actor } from "@/lib/tickets";

import { formFields } from "./fields";

/** Why a form was not run. Nothing was looked up or changed. */
export type Refusal =
  | { kind: "cross-site" }
  /** The form needs a signed-in person and there is none (or their session ended). */
  | { kind: "anonymous" }
  /** The form is for administrators. Says no more than a 404 would. */
  | { kind: "forbidden" }
  /** Ticket forms: too many links that match nothing came from this address. */
  | { kind: "throttled"; retryAfterSeconds: number }
  | { kind: "invalid"; field: string; message: string; fieldErrors: Record<string, string> };

/** What a form's action may ask about its request. */
export interface RequestInfo {
  sameOrigin(): Promise<boolean>;
  actor(): Promise<Actor>;
  /** The signed-in person, or null. */
  user(): Promise<SignedIn | null>;
  /** Whether the signed-in person is an administrator, read from the database. */
  admin(): Promise<AdminCheck>;
  /** The ticket guessing budget of the client's address. */
  guessing(actor: Actor): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export interface SignedIn {
  id: string;
  email: string;
}

export type Access = "anyone" | "user" | "admin";

/** Who sent the form, as far as the checks established: a user for "user" and "admin" forms, an administrator for "admin" ones. */
export interface Caller<A extends Access = Access> {
  actor: Actor;
  user: A extends "anyone" ? SignedIn | null : SignedIn;
  admin: A extends "admin" ? AdminIdentity : AdminIdentity | null;
}

export interface FormSpec<Schema extends z.ZodType, State, A extends Access = Access> {
  /** Who may send it. Default: anyone. */
  access?: A;
  /** A ticket form: refused while the client's address is over the ticket guessing limit. Default: false. */
  guessing?: boolean;
  /**
   * Parses the form's single-valued fields (a field sent twice is null and
   * fails); or picks that schema from the fields (the console's forms name
   * their operation in one).
   */
  schema: Schema | ((fields: Record<string, string | null>) => Schema);
  /** What the form shows for a refusal. */
  refused(refusal: Refusal): State | Promise<State>;
  run(input: z.output<Schema>, caller: Caller<A>): Promise<State>;
}

/** What a body that is not a form is told (a script calling the action with other arguments). */
export const UNREADABLE_FORM = "This form could not be read. Reload the page and try again.";

/**
 * Runs one submission through the door. `form` is whatever the action was
 * called with: it is read only after the checks, so a body of any shape from
 * someone who may not send the form is refused as such, and a body that is
 * not a form is refused as invalid, never thrown on.
 */
export async function runFormAction<Schema extends z.ZodType, State, A extends Access>(spec: FormSpec<Schema, State, A>, request: RequestInfo, form: unknown): Promise<State> {
  if (!(await request.sameOrigin())) return spec.refused({ kind: "cross-site" });
  const access = spec.access ?? "anyone";
  let user: SignedIn | null = null;
  let admin: AdminIdentity | null = null;
  if (access === "user") {
    user = await request.user();
    if (!user) return spec.refused({ kind: "anonymous" });
  } else if (access === "admin") {
    const check = await request.admin();
    if (check.kind === "anonymous") return spec.refused({ kind: "anonymous" });
    if (check.kind === "forbidden") return spec.refused({ kind: "forbidden" });
    admin = check.admin;
    user = { id: check.admin.id, email: check.admin.email };
  }
  const actor = await request.actor();
  if (spec.guessing) {
    const guard = await request.guessing(actor);
    if (!guard.allowed) return spec.refused({ kind: "throttled", retryAfterSeconds: guard.retryAfterSeconds });
  }
  const fields = formFields(form);
  if (!fields) return spec.refused({ kind: "invalid", field: "form", message: UNREADABLE_FORM, fieldErrors: { form: UNREADABLE_FORM } });
  const schema = typeof spec.schema === "function" ? spec.schema(fields) : spec.schema;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    const [field, message] = Object.entries(fieldErrors)[0] ?? ["form", "Check the form."];
    return spec.refused({ kind: "invalid", field, message, fieldErrors });
  }
  // The checks above established what Caller<A> promises for this access.
  return spec.run(parsed.data, { actor, user, admin } as Caller<A>);
}

/** The words for a refusal, for forms that show a message (and maybe the field it is about). */
export function refusalMessage(refusal: Refusal): { message: string; field?: string } {
  switch (refusal.kind) {
    case "cross-site":
      return { message: "This form can only be sent from this site. Reload the page and try again." };
    case "anonymous":
      return { message: "Your session has ended. Sign in again." };
    case "forbidden":
      return { message: "Not found." };
    case "throttled":
      return { message: `Too many links that do not work were opened from your network. Try again in ${waitText(refusal.retryAfterSeconds)}.` };
    case "invalid":
      return { message: refusal.message, field: refusal.field };
  }
}
