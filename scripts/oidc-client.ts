// npm run oidc:client -- <name> --redirect-uri <uri> [--redirect-uri …] [--post-logout-redirect-uri <uri>] [--public] [--first-party]
// Registers an app that signs people in through Ticketgate (OpenID Connect).
// The last line printed is JSON: {"client_id": …, "client_secret": …} (no
// secret for a public client). The secret is shown once; it is kept sealed.
import "./load-env";

import { parseArgs } from "node:util";

import { createDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { EnvError, env } from "@/lib/env";
import { clientNameSchema, createOidcClient, redirectUriSchema } from "@/lib/oidc/clients";

const USAGE = "usage: npm run oidc:client -- <name> --redirect-uri <uri> [--redirect-uri …] [--post-logout-redirect-uri <uri>] [--public] [--first-party]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    "redirect-uri": { type: "string", multiple: true },
    "post-logout-redirect-uri": { type: "string", multiple: true },
    public: { type: "boolean" },
    "first-party": { type: "boolean" },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const name = clientNameSchema.safeParse(positionals.join(" "));
if (!name.success) fail("Name the app.");
const uris = (list: string[] | undefined, flag: string) =>
  (list ?? []).map((uri) => {
    const parsed = redirectUriSchema.safeParse(uri);
    if (!parsed.success) fail(`--${flag} ${JSON.stringify(uri)}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
const redirectUris = uris(values["redirect-uri"], "redirect-uri");
if (redirectUris.length === 0) fail("At least one --redirect-uri is needed.");
const postLogoutRedirectUris = uris(values["post-logout-redirect-uri"], "post-logout-redirect-uri");

let db;
try {
  const config = env();
  db = createDb(config.DATABASE_URL);
  const { client, clientSecret } = await createOidcClient(db, config.AUTH_SECRET, { name: name.data, redirectUris, postLogoutRedirectUris, public: values.public ?? false, firstParty: values["first-party"] ?? false });
  console.log(`Registered "${client.name}"${client.public ? " (public: PKCE required, no secret)" : ""}${client.firstParty ? ", first-party (no consent asked)" : ""}.`);
  console.log(`Issuer (discovery at ${config.APP_URL}/.well-known/openid-configuration): ${config.APP_URL}`);
  if (clientSecret) console.log("The client secret is shown once — store it now.");
  console.log(JSON.stringify({ client_id: client.id, ...(clientSecret ? { client_secret: clientSecret } : {}) }));
} catch (error) {
  if (isUniqueViolation(error)) console.error(`An app named "${name.data}" already exists. Manage it in the admin console (Apps).`);
  else console.error(error instanceof EnvError ? error.message : `oidc:client failed: ${(error as Error).message} (did you run npm run db:migrate?)`);
  process.exitCode = 1;
} finally {
  await db?.$disconnect();
}
