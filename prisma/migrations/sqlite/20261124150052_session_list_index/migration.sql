-- CreateIndex
CREATE INDEX "sessions_createdAt_id_idx" ON "sessions"("createdAt", "id");

