// Password hashing: argon2id (docs/decisions/0011-passwords-and-account-tickets.md).
// OWASP's minimum argon2id settings (19 MiB, 2 passes, 1 lane) keep one hash
// around 30–60 ms on a small server, so a burst of sign-ins cannot exhaust memory.
import argon2 from "argon2";

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown address, no
 * password set) it still verifies against a dummy hash made with the same
 * settings, so the answer takes as long either way and timing tells nothing.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (hash === null) {
    dummy ??= hashPassword(`dummy-${Math.random()}`);
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash is a wrong password, not a 500.
    return false;
  }
}
