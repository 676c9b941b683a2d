#!/usr/bin/env bash
# The one test command (README quick start, step 2; .ci/run): system packages, build,
# typecheck, lint, then unit, integration and browser tests. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
echo "== build";      npm run build
echo "== typecheck";  npx tsc --noEmit
echo "== lint";       npx eslint . --max-warnings 0
echo "== tests";      npx vitest run --reporter=default --reporter=./tests/support/summary-reporter.ts
