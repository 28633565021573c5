"use server";

// The console's server action: a thin call into lib/admin through
// performAdmin (same-origin, administrator role, the form's zod schema, then
// the change with its audit row). None trusts anything the page rendered.
import { revalidatePath } from "next/cache";

import type { ActionState, AdminOperation } from "@/lib/admin/operations";
import { performAdmin } from "@/lib/server/admin";

/**
 * The one server action every console form posts to, bound to its
 * operation's name (app/admin/admin-form.tsx). The name comes from the
 * client like any other input: performAdmin refuses one it does not know.
 */
export async function adminAction(name: AdminOperation, _prev: ActionState, form: FormData): Promise<ActionState> {
  const result = await performAdmin(name, form);
  if (result.status === "ok") revalidatePath("/admin", "layout");
  return result;
}
