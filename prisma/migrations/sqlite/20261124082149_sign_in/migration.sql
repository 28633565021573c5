-- CreateTable
CREATE TABLE "login_codes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "browserHash" TEXT NOT NULL,
    "ticketId" TEXT,
    "codeHash" TEXT NOT NULL,
    "attemptsLeft" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "subscription_requests" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "list" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "subscription_requests_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "mail_messages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "login_codes_browserHash_key" ON "login_codes"("browserHash");

-- CreateIndex
CREATE INDEX "login_codes_expiresAt_idx" ON "login_codes"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_requests_userId_list_key" ON "subscription_requests"("userId", "list");

-- CreateIndex
CREATE INDEX "mail_messages_state_nextAttemptAt_idx" ON "mail_messages"("state", "nextAttemptAt");

