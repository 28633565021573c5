// npm run oidc:rotate-keys
// Adds a new signing key for the OpenID Connect provider and makes it the
// current one. The previous keys stay in the published JWKS for
// OIDC_REFRESH_TOKEN_DAYS (what they signed may still be in use), then go.
// Running instances sign with the new key after their next restart.
import "./load-env";

import { createDb } from "@/lib/db/client";
import { EnvError, env } from "@/lib/env";
import { rotateSigningKeys } from "@/lib/oidc/keys";

let db;
try {
  const config = env();
  db = createDb(config.DATABASE_URL);
  const { kid, retired, deleted } = await rotateSigningKeys(db, config.AUTH_SECRET, { keepRetiredSeconds: config.OIDC_REFRESH_TOKEN_DAYS * 86_400 });
  console.log(`New current signing key ${kid}. Retired ${retired} (kept in the JWKS for ${config.OIDC_REFRESH_TOKEN_DAYS} days); deleted ${deleted} retired longer ago.`);
  console.log("Restart every instance so that it signs with the new key.");
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `oidc:rotate-keys failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db?.$disconnect();
}
