// The one door to every admin change: same-origin first, then the role (read
// from the database), then the form's zod schema, then the operation. A
// refusal changes nothing and says as little as possible: a signed-in
// non-administrator learns nothing about the console.
import type { Actor } from "@/lib/tickets";

import { checkAdmin } from "./access";
import { ADMIN_OPERATIONS, type ActionState, type AdminDeps, type AdminOperation } from "./operations";

export interface RequestInfo {
  /** The request's Origin is APP_URL (lib/http/request.server.ts isSameOrigin). */
  sameOrigin(): Promise<boolean>;
  /** The session's user, or null. */
  sessionUser(): Promise<{ id: string } | null>;
  actor(): Promise<Actor>;
}

export const REFUSED = {
  crossSite: { status: "error", message: "This form can only be sent from this site. Reload the page and try again." },
  anonymous: { status: "error", message: "Your session has ended. Sign in again." },
  forbidden: { status: "error", message: "Not found." },
  unknown: { status: "error", message: "There is no such action. Reload the page and try again." },
} as const satisfies Record<string, ActionState>;

export async function performAdminAction(name: AdminOperation, request: RequestInfo, deps: AdminDeps, fields: Record<string, unknown>): Promise<ActionState> {
  if (!(await request.sameOrigin())) return REFUSED.crossSite;
  const check = await checkAdmin(deps.db, deps.adminEmails, await request.sessionUser());
  if (check.kind === "anonymous") return REFUSED.anonymous;
  if (check.kind === "forbidden") return REFUSED.forbidden;

  // The name is input too (the form's action is bound to it in the browser).
  if (typeof name !== "string" || !Object.hasOwn(ADMIN_OPERATIONS, name)) return REFUSED.unknown;
  const operation = ADMIN_OPERATIONS[name];
  const parsed = operation.schema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { status: "error", message: Object.values(fieldErrors)[0] ?? "Check the form.", fieldErrors };
  }
  const ctx = { admin: { id: check.admin.id, email: check.admin.email }, actor: await request.actor() };
  // The operations' parameter types are each their own schema's output; the map ties them together.
  return (operation.run as (d: AdminDeps, c: typeof ctx, input: unknown) => Promise<ActionState>)(deps, ctx, parsed.data);
}
