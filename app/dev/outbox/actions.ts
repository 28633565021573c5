"use server";

// Development only: empties the outbox directory (the .eml files the outbox
// transport wrote), from this machine, when no SMTP server is configured.
import { readdir, rm } from "node:fs/promises";
import path from "node:path";

import { redirect } from "next/navigation";

import { env } from "@/lib/env";
import { isSameOrigin } from "@/lib/http/request.server";

import { outboxAvailable } from "./available";

export async function clearOutboxAction(): Promise<void> {
  if (!(await outboxAvailable()) || !(await isSameOrigin())) redirect("/dev/outbox");
  const dir = env().OUTBOX_DIR;
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    // No outbox yet: nothing to clear.
  }
  await Promise.all(names.filter((name) => name.endsWith(".eml")).map((name) => rm(path.join(dir, name), { force: true })));
  redirect("/dev/outbox?cleared=1");
}
