// Prisma 6.19 can diff two schemas into SQL with its WebAssembly schema engine
// (engine: "js"), which needs no download. The adapter is required by that
// mode but never connects for `migrate diff --from-schema-datamodel`.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url: "file::memory:" }),
});
