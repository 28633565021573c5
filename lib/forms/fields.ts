// Reading a form's fields before a schema sees them: one string per field, or
// nothing. A field sent twice (`email=a&email=b`) or as a file is null, so it
// fails its schema instead of slipping through as its first value.

/** One field: its text, undefined when absent, null when sent twice or as a file. */
export function singleField(form: FormData, name: string): string | undefined | null {
  const values = form.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1 || typeof values[0] !== "string") return null;
  return values[0];
}

/**
 * Every field of a form as above, leaving out Next's own `$ACTION…` fields;
 * null when what arrived is not a form at all (a server action can be called
 * with any arguments a client serialises, JSON among them).
 */
export function formFields(form: unknown): Record<string, string | null> | null {
  if (!(form instanceof FormData)) return null;
  const out: Record<string, string | null> = {};
  for (const key of new Set(form.keys())) {
    if (!key.startsWith("$ACTION")) out[key] = singleField(form, key) ?? null;
  }
  return out;
}
