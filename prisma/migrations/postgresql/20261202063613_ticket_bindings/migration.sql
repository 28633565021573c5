-- Sign-in codes pending at the upgrade are forgotten: whoever was about to type one asks again.
-- DropTable
DROP TABLE "login_codes";

-- CreateTable
CREATE TABLE "ticket_bindings" (
    "id" TEXT NOT NULL,
    "browserHash" TEXT,
    "ticketId" TEXT,
    "kind" TEXT NOT NULL,
    "codeHash" TEXT,
    "codeAttemptsLeft" INTEGER NOT NULL DEFAULT 0,
    "approvalAttemptsLeft" INTEGER NOT NULL DEFAULT 3,
    "approvedAt" TIMESTAMP(3),
    "approvedIp" TEXT,
    "approvedUa" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ticket_bindings_ticketId_key" ON "ticket_bindings"("ticketId");

-- CreateIndex
CREATE INDEX "ticket_bindings_browserHash_kind_createdAt_idx" ON "ticket_bindings"("browserHash", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "ticket_bindings_expiresAt_idx" ON "ticket_bindings"("expiresAt");

