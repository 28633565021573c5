#!/usr/bin/env bash
# npm test — everything: lint, types, unit and database tests, then the
# browser flows against a production build. Set TEST_POSTGRES_URL to run the
# database suite on PostgreSQL as well as SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "lint"
npm run --silent lint
step "typecheck"
npm run --silent typecheck

step "unit and database tests (SQLite${TEST_POSTGRES_URL:+ and PostgreSQL})"
npx vitest run

step "browser flows"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser flows…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser flows need Chromium at $chromium: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi
NEXT_TELEMETRY_DISABLED=1 npx next build >/dev/null
npx playwright test
