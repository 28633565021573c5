// Generates one Prisma client per engine from prisma/schema.prisma.
// Runs on `npm install` (postinstall) and whenever the schema changes.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { ENGINES, ROOT, SOURCE_SCHEMA, schemaFor } from "./schemas";

const prismaCli = path.join(ROOT, "node_modules/prisma/build/index.js");

// `prisma generate` needs no schema engine, but the CLI still looks for one
// and would try to download it; any existing executable satisfies the check.
// See docs/decisions/0002-one-schema-two-engines.md.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };

mkdirSync(path.join(ROOT, "generated/prisma"), { recursive: true });
for (const engine of ENGINES) {
  let schemaPath = SOURCE_SCHEMA;
  if (engine !== "sqlite") {
    schemaPath = path.join(ROOT, `generated/prisma/${engine}.prisma`);
    writeFileSync(schemaPath, schemaFor(engine));
  }
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schemaPath], { env, stdio: ["ignore", "ignore", "inherit"], cwd: ROOT });
  console.log(`db:generate: ${engine} client → generated/prisma/${engine}`);
}
