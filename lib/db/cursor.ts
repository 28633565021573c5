// Opaque "time.id" cursors for every newest-first list: the ticket core's, the
// console's audit, mail, sessions and users. Plain code, no Prisma, so the core
// may use it too.
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}.${id}`, "utf8").toString("base64url");
}

/** The position a cursor stands for; null (the first page) for anything this module did not write. */
export function decodeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : null;
}
