-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_projects" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "maxLiveTickets" INTEGER NOT NULL DEFAULT 100000,
    "maxPayloadBytes" INTEGER NOT NULL DEFAULT 4096,
    "defaultTtl" INTEGER NOT NULL DEFAULT 60,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "ticketsIssued" REAL NOT NULL DEFAULT 0,
    "ticketsEnded" REAL NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_api_projects" ("createdAt", "defaultTtl", "disabled", "id", "maxLiveTickets", "maxPayloadBytes", "name", "updatedAt") SELECT "createdAt", "defaultTtl", "disabled", "id", "maxLiveTickets", "maxPayloadBytes", "name", "updatedAt" FROM "api_projects";
DROP TABLE "api_projects";
ALTER TABLE "new_api_projects" RENAME TO "api_projects";
CREATE UNIQUE INDEX "api_projects_name_key" ON "api_projects"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Tickets made before the counter count as issued, so issued - ended starts
-- at or above the live count; the first recount at the limit lowers it.
UPDATE "api_projects" SET "ticketsIssued" = (SELECT COUNT(*) FROM "tickets" WHERE "tickets"."projectId" = "api_projects"."id");
