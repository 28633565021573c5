"use server";

// The console's server actions: each is a thin call into lib/admin through
// performAdmin (same-origin, administrator role, the form's zod schema, then
// the change with its audit row). None trusts anything the page rendered.
import { revalidatePath } from "next/cache";

import type { ActionState } from "@/lib/admin/operations";
import { performAdmin } from "@/lib/admin/admin.server";

async function perform(name: Parameters<typeof performAdmin>[0], form: FormData): Promise<ActionState> {
  const result = await performAdmin(name, form);
  if (result.status === "ok") revalidatePath("/admin", "layout");
  return result;
}

export async function cancelTicketAction(_prev: ActionState, form: FormData) {
  return perform("cancelTicket", form);
}
export async function cleanupAction(_prev: ActionState, form: FormData) {
  return perform("cleanup", form);
}
export async function grantAdminAction(_prev: ActionState, form: FormData) {
  return perform("grantAdmin", form);
}
export async function removeAdminAction(_prev: ActionState, form: FormData) {
  return perform("removeAdmin", form);
}
export async function setDisabledAction(_prev: ActionState, form: FormData) {
  return perform("setDisabled", form);
}
export async function revokeSessionAction(_prev: ActionState, form: FormData) {
  return perform("revokeSession", form);
}
export async function createProjectAction(_prev: ActionState, form: FormData) {
  return perform("createProject", form);
}
export async function updateProjectAction(_prev: ActionState, form: FormData) {
  return perform("updateProject", form);
}
export async function createKeyAction(_prev: ActionState, form: FormData) {
  return perform("createKey", form);
}
export async function revokeKeyAction(_prev: ActionState, form: FormData) {
  return perform("revokeKey", form);
}
