// Database errors callers act on, recognised the same way on both engines.

/**
 * A unique constraint refused the write (Prisma's P2002): someone else
 * created the row first. Duck-typed: the SQLite and PostgreSQL clients are
 * generated separately, so an instanceof check against one client's error
 * class would miss the other's.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** A foreign key refused the write (Prisma's P2003): the row it refers to is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2003";
}
