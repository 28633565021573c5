"use server";

// The console's one server action: the form names its operation in a hidden
// field, and performAdmin puts it through the form-action door (same origin,
// administrator role, the operation's zod schema, then the change with its
// audit row). None trusts anything the page rendered.
import { revalidatePath } from "next/cache";

import { performAdmin } from "@/lib/admin/admin.server";
import type { ActionState } from "@/lib/admin/operations";

export async function adminAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  const result = await performAdmin(form);
  if (result.status === "ok") revalidatePath("/admin", "layout");
  return result;
}
