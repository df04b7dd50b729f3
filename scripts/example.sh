#!/usr/bin/env bash
# Serves example/ under the real rr on http://127.0.0.1:8080: installs the npm dependencies if
# needed, provides rr through scripts/rr.sh (a Go build, cached), then runs `rr serve` in the
# foreground. Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ]; then
  echo "[example] installing npm dependencies" >&2
  npm ci --no-audit --no-fund >&2
fi
rr="$(bash scripts/rr.sh | tail -n 1)"
echo "[example] serving example/ with $("$rr" --version | head -n 1) on http://127.0.0.1:8080" >&2
exec "$rr" serve -c "$root/example/.rr.yaml" -w "$root/example"
