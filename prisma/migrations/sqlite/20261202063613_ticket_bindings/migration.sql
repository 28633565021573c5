-- Sign-in codes pending at the upgrade are forgotten: whoever was about to type one asks again.
-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "login_codes";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "ticket_bindings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "browserHash" TEXT,
    "ticketId" TEXT,
    "kind" TEXT NOT NULL,
    "codeHash" TEXT,
    "codeAttemptsLeft" INTEGER NOT NULL DEFAULT 0,
    "approvalAttemptsLeft" INTEGER NOT NULL DEFAULT 3,
    "approvedAt" DATETIME,
    "approvedIp" TEXT,
    "approvedUa" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "ticket_bindings_ticketId_key" ON "ticket_bindings"("ticketId");

-- CreateIndex
CREATE INDEX "ticket_bindings_browserHash_kind_createdAt_idx" ON "ticket_bindings"("browserHash", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "ticket_bindings_expiresAt_idx" ON "ticket_bindings"("expiresAt");

