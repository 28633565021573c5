"use server";

// Development only: empties the outbox directory (the .eml files the outbox
// transport wrote), from this machine, when no SMTP server is configured.
// Through the form-action door like every action: a cross-site post is refused first.
import { readdir, rm } from "node:fs/promises";
import path from "node:path";

import { redirect } from "next/navigation";
import { z } from "zod";

import { env } from "@/lib/env";
import { formSubmit } from "@/lib/forms/form-action.server";

import { outboxAvailable } from "./available";

export const clearOutboxAction = formSubmit({
  schema: z.object({}),
  async run() {
    if (!(await outboxAvailable())) redirect("/dev/outbox");
    const dir = env().OUTBOX_DIR;
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      // No outbox yet: nothing to clear.
    }
    await Promise.all(names.filter((name) => name.endsWith(".eml")).map((name) => rm(path.join(dir, name), { force: true })));
    redirect("/dev/outbox?cleared=1");
  },
});
