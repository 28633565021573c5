#!/usr/bin/env bash
# Starts the production build for the Playwright flows on a fresh SQLite file,
# delivering mail over SMTP to the test's mail catcher.
set -euo pipefail
port="$1"
smtp_port="$2"
dir="data/e2e"
rm -rf "$dir"
mkdir -p "$dir"
export NODE_ENV=production
export PORT="$port"
export DATABASE_URL="file:./$dir/app.db"
export APP_URL="http://localhost:$port"
export AUTH_SECRET="e2e-secret-e2e-secret-e2e-secret-e2e-secret"
export SMTP_URL="smtp://127.0.0.1:$smtp_port"
export MAIL_FROM="Ticketgate <no-reply@localhost>"
export SIGNUP=open
# Short limits so one run can ask twice for the same address; the limits themselves are tested in tests/db.
export LOGIN_MIN_INTERVAL_SECONDS=2
export LOGIN_MAX_PER_HOUR=100
export LOGIN_MAX_PER_IP_PER_HOUR=10000
# Account flows (e2e/account.spec.ts): a short "too soon" interval so one run can ask twice.
export ACCOUNT_MAIL_MIN_INTERVAL_SECONDS=2
# Ticket guessing: e2e/attacks.spec.ts opens this many unknown links and clears the count after.
export TICKET_GUESSES_PER_IP_PER_HOUR=50
# Request log lines would bury Playwright's report (it prints the server's output);
# e2e/instances.spec.ts checks the logs of servers of its own.
export LOG_REQUESTS=false
# Monitoring's token for the mail queue in /api/health (e2e/smoke.spec.ts).
export HEALTH_TOKEN=e2e-health-token-e2e-health-token-e2e
# The administrator the admin console flows sign in as.
export ADMIN_EMAILS=admin@example.com
npx tsx scripts/db/migrate.ts
exec npx tsx server.ts
