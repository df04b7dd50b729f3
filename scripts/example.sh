#!/usr/bin/env bash
# Serves example/ under the real rr on http://127.0.0.1:8080: installs the npm dependencies if
# needed, provides rr through scripts/rr.sh (a Go build, cached), starts a Temporal dev server on
# 127.0.0.1:7233 (the Temporal CLI from scripts/temporal.sh, also a cached Go build) unless
# TEMPORAL_ADDRESS is set or one already listens there, then runs `rr serve` in the foreground.
# Ctrl-C stops rr and the dev server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ]; then
  echo "[example] installing npm dependencies" >&2
  npm ci --no-audit --no-fund >&2
fi
rr="$(bash scripts/rr.sh | tail -n 1)"
if [ -z "${TEMPORAL_ADDRESS:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/7233) 2>/dev/null; then
  temporal="$(bash scripts/temporal.sh | tail -n 1)"
  echo "[example] starting a Temporal dev server on 127.0.0.1:7233 (in memory; $("$temporal" --version | head -n 1))" >&2
  "$temporal" server start-dev --headless --ip 127.0.0.1 --port 7233 --log-level warn \
    --dynamic-config-value frontend.enableServerVersionCheck=false >&2 &
  dev_server=$!
fi
echo "[example] serving example/ with $("$rr" --version | head -n 1) on http://127.0.0.1:8080" >&2
"$rr" serve -c "$root/example/.rr.yaml" -w "$root/example" &
rr_pid=$!
# Ctrl-C reaches rr itself (same process group); a SIGTERM to this script (npm, timeout, a
# supervisor) must stop rr and the dev server too, not leave them running.
stop() {
  trap - EXIT INT TERM
  kill -INT "$rr_pid" 2>/dev/null || true
  wait "$rr_pid" 2>/dev/null || true
  if [ -n "${dev_server:-}" ]; then
    kill "$dev_server" 2>/dev/null || true
    wait "$dev_server" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
wait "$rr_pid"
