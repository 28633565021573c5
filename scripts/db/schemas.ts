// Derives each engine's Prisma schema from the one source, prisma/schema.prisma
// (written for SQLite). Only the datasource provider and the client output
// change, so both generated clients have the same model types.
// See docs/decisions/0002-one-schema-two-engines.md.
import { readFileSync } from "node:fs";
import path from "node:path";

export const ENGINES = ["sqlite", "postgresql"] as const;
export type Engine = (typeof ENGINES)[number];

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const SOURCE_SCHEMA = path.join(ROOT, "prisma/schema.prisma");

const PROVIDER_LINE = /^(\s*provider\s*=\s*)"sqlite"\s*$/m;
const OUTPUT_LINE = /^(\s*output\s*=\s*)"\.\.\/generated\/prisma\/sqlite"\s*$/m;

function mustReplace(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) {
    throw new Error(`prisma/schema.prisma: cannot find ${what}; keep the datasource and generator blocks as they are`);
  }
  return text.replace(pattern, replacement);
}

/** The schema for `engine`, with the client written to generated/prisma/<engine>. */
export function schemaFor(engine: Engine, source = readFileSync(SOURCE_SCHEMA, "utf8")): string {
  if (engine === "sqlite") return source;
  let text = mustReplace(source, PROVIDER_LINE, `$1"${engine}"`, 'provider = "sqlite"');
  // The derived file is written to generated/prisma/, one level below the source.
  text = mustReplace(text, OUTPUT_LINE, `$1"./${engine}"`, 'output = "../generated/prisma/sqlite"');
  return `// GENERATED from prisma/schema.prisma by scripts/db/generate.ts — do not edit.\n${text}`;
}

/**
 * The schema as Prisma 6.19's `migrate diff` wants it: a datasource url
 * (never connected to) and no generator block.
 */
export function diffSchemaFor(engine: Engine, source: string): string {
  const url = engine === "sqlite" ? "file:./unused.db" : "postgresql://unused@localhost/unused";
  const withoutGenerator = source.replace(/^generator\s+\w+\s*\{[^}]*\}\s*$/m, "");
  return mustReplace(withoutGenerator, PROVIDER_LINE, `$1"${engine}"\n  url = "${url}"`, 'provider = "sqlite"');
}
