-- AlterTable
ALTER TABLE "api_projects" ADD COLUMN     "ticketsEnded" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "ticketsIssued" DOUBLE PRECISION NOT NULL DEFAULT 0;


-- Tickets made before the counter count as issued, so issued - ended starts
-- at or above the live count; the first recount at the limit lowers it.
UPDATE "api_projects" SET "ticketsIssued" = (SELECT COUNT(*) FROM "tickets" WHERE "tickets"."projectId" = "api_projects"."id");
