-- CreateTable
CREATE TABLE "oidc_payloads" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "grantId" TEXT,
    "userCode" TEXT,
    "uid" TEXT,
    "accountId" TEXT,
    "clientId" TEXT,
    "sessionId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oidc_payloads_pkey" PRIMARY KEY ("kind","id")
);

-- CreateTable
CREATE TABLE "oidc_clients" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretSealed" TEXT,
    "redirectUris" TEXT NOT NULL,
    "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '[]',
    "public" BOOLEAN NOT NULL DEFAULT false,
    "firstParty" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "oidc_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oidc_keys" (
    "id" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "oidc_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oidc_consents" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "oidc_consents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oidc_payloads_grantId_idx" ON "oidc_payloads"("grantId");

-- CreateIndex
CREATE INDEX "oidc_payloads_uid_idx" ON "oidc_payloads"("uid");

-- CreateIndex
CREATE INDEX "oidc_payloads_userCode_idx" ON "oidc_payloads"("userCode");

-- CreateIndex
CREATE INDEX "oidc_payloads_expiresAt_idx" ON "oidc_payloads"("expiresAt");

-- CreateIndex
CREATE INDEX "oidc_payloads_accountId_clientId_idx" ON "oidc_payloads"("accountId", "clientId");

-- CreateIndex
CREATE INDEX "oidc_payloads_sessionId_idx" ON "oidc_payloads"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "oidc_clients_name_key" ON "oidc_clients"("name");

-- CreateIndex
CREATE INDEX "oidc_keys_createdAt_idx" ON "oidc_keys"("createdAt");

-- CreateIndex
CREATE INDEX "oidc_consents_clientId_idx" ON "oidc_consents"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "oidc_consents_userId_clientId_key" ON "oidc_consents"("userId", "clientId");

-- AddForeignKey
ALTER TABLE "oidc_consents" ADD CONSTRAINT "oidc_consents_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oidc_consents" ADD CONSTRAINT "oidc_consents_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "oidc_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

