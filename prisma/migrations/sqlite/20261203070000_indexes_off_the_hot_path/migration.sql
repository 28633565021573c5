-- Indexes off the hot path (docs/decisions/0019): every index on "tickets" is
-- written by every create, and a use that ends a ticket writes each index that
-- holds its state (on PostgreSQL, every index). API tickets carry no address
-- and no account, so the indexes that serve only the person's tickets — the
-- supersede lookup, a person's history, the console's filter by kind — leave
-- them out. The filters by project and state and by domain are served by the
-- lists' other indexes; [projectId, state] also tied with the ticket's own key
-- in the planner's estimates, and a use then scanned its project's tickets.
DROP INDEX "tickets_email_type_domain_state_idx";
DROP INDEX "tickets_projectId_state_idx";
DROP INDEX "tickets_userId_createdAt_idx";
DROP INDEX "tickets_domain_createdAt_idx";
DROP INDEX "tickets_type_createdAt_idx";
CREATE INDEX "tickets_email_type_domain_state_idx" ON "tickets"("email", "type", "domain", "state") WHERE "email" IS NOT NULL;
CREATE INDEX "tickets_userId_createdAt_idx" ON "tickets"("userId", "createdAt") WHERE "userId" IS NOT NULL;
CREATE INDEX "tickets_type_createdAt_id_idx" ON "tickets"("type", "createdAt", "id") WHERE "email" IS NOT NULL;
