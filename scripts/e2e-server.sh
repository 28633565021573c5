#!/usr/bin/env bash
# Starts the production build for the Playwright flows on a fresh SQLite file.
set -euo pipefail
port="$1"
dir="data/e2e"
rm -rf "$dir"
mkdir -p "$dir"
export NODE_ENV=production
export DATABASE_URL="file:./$dir/app.db"
export APP_URL="http://localhost:$port"
export AUTH_SECRET="e2e-secret-e2e-secret-e2e-secret-e2e-secret"
npx tsx scripts/db/migrate.ts
exec npx next start -p "$port"
