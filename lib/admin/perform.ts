// The console's forms through the one form-action door (lib/forms/form-action.ts):
// same-origin first, then the administrator role (read from the database),
// then the operation's zod schema, then the change with its audit row. A
// refusal changes nothing and says as little as possible: a signed-in
// non-administrator learns nothing about the console.
import { z } from "zod";

import { type Refusal, type RequestInfo, runFormAction } from "@/lib/forms/form-action";

import { ADMIN_OPERATIONS, type ActionState, type AdminDeps, type AdminOperation } from "./operations";

export const REFUSED = {
  crossSite: { status: "error", message: "This form can only be sent from this site. Reload the page and try again." },
  anonymous: { status: "error", message: "Your session has ended. Sign in again." },
  forbidden: { status: "error", message: "Not found." },
  unknown: { status: "error", message: "There is no such action. Reload the page and try again." },
} as const satisfies Record<string, ActionState>;

function refused(refusal: Refusal): ActionState {
  switch (refusal.kind) {
    case "cross-site":
      return REFUSED.crossSite;
    case "anonymous":
      return REFUSED.anonymous;
    case "forbidden":
    case "throttled":
      return REFUSED.forbidden;
    case "invalid":
      return { status: "error", message: refusal.message, fieldErrors: refusal.fieldErrors };
  }
}

/**
 * Runs the console form `form` (as posted: its hidden `operation` field names
 * the operation). Nothing of the body is read before the origin and role
 * checks; an unknown operation is refused after them.
 */
export async function performAdminAction(request: RequestInfo, deps: AdminDeps, form: unknown): Promise<ActionState> {
  let operation: (typeof ADMIN_OPERATIONS)[AdminOperation] | null = null;
  return runFormAction(
    {
      access: "admin",
      schema(fields) {
        const name = fields.operation;
        operation = typeof name === "string" && Object.hasOwn(ADMIN_OPERATIONS, name) ? ADMIN_OPERATIONS[name as AdminOperation] : null;
        return operation?.schema ?? z.unknown();
      },
      refused,
      async run(input, caller) {
        if (!operation || !caller.admin) return REFUSED.unknown;
        const ctx = { admin: { id: caller.admin.id, email: caller.admin.email }, actor: caller.actor };
        // The operations' parameter types are each their own schema's output; the map ties them together.
        return (operation.run as (d: AdminDeps, c: typeof ctx, input: unknown) => Promise<ActionState>)(deps, ctx, input);
      },
    },
    request,
    form,
  );
}
