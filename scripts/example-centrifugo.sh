#!/usr/bin/env bash
# Runs Centrifugo v6 for the example app (example/centrifugo.json: websocket clients on
# ws://127.0.0.1:8000/connection/websocket, every proxy call to rr on 127.0.0.1:30000, the gRPC
# API for rr on 127.0.0.1:10000) in the foreground, next to `npm run example`. Centrifugo comes
# from scripts/centrifugo.sh (a go install on a first run, cached). Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
centrifugo="$(bash "$root/scripts/centrifugo.sh" | tail -n 1)"
"$centrifugo" checkconfig --strict -c "$root/example/centrifugo.json"
echo "[example] Centrifugo on ws://127.0.0.1:8000/connection/websocket, proxying to rr on 127.0.0.1:30000" >&2
exec "$centrifugo" -c "$root/example/centrifugo.json"
