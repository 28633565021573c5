-- CreateIndex
CREATE INDEX "tickets_state_createdAt_id_idx" ON "tickets"("state", "createdAt", "id");

-- CreateIndex
CREATE INDEX "tickets_projectId_createdAt_id_idx" ON "tickets"("projectId", "createdAt", "id");

