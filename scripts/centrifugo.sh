#!/usr/bin/env bash
# Provides the pinned Centrifugo server binary (the Centrifugo bridge's e2e peer) and prints its
# absolute path as the last line of stdout (progress goes to stderr). Order of preference:
#   1. $CENTRIFUGO_BINARY, if set (a Centrifugo v6 you installed yourself);
#   2. a binary cached by an earlier run: $RR_CACHE_DIR/centrifugo/v$CENTRIFUGO_VERSION-<hash>/centrifugo
#      (RR_CACHE_DIR defaults to ${XDG_CACHE_HOME:-~/.cache}/roadrunner-runtime, shared with rr);
#   3. `go install github.com/centrifugal/centrifugo/v6@v$CENTRIFUGO_VERSION` from the Go module
#      proxy (needs Go >= 1.26; a cold build downloads ~940 MB of modules, ~3 minutes on 2 cores).
# Nothing is downloaded except Go modules through the ordinary `go` command. v6.9.1 is the newest
# v6 release the module proxy serves, and its go.mod has no replace/exclude, so `go install` works.
set -euo pipefail

CENTRIFUGO_VERSION=6.9.1
module="github.com/centrifugal/centrifugo/v6"
# build.Version is what `centrifugo version` prints (default 0.0.0); the release's usage-stats
# endpoint is left empty, so the binary never reports anything anywhere.
ldflags="-s -w -X $module/internal/build.Version=$CENTRIFUGO_VERSION"
cache="${RR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roadrunner-runtime}"
# A change of the build recipe (version, flags) gets a binary of its own.
recipe_hash="$(printf '%s\n' "$module@v$CENTRIFUGO_VERSION" "$ldflags" | sha256sum | cut -c1-12)"
target="$cache/centrifugo/v$CENTRIFUGO_VERSION-$recipe_hash/centrifugo"

SCRIPT=centrifugo.sh
OVERRIDE_HINT="To use a Centrifugo v6 binary you already have, point CENTRIFUGO_BINARY at it:
  CENTRIFUGO_BINARY=/path/to/centrifugo npm test"
# shellcheck source=lib/cached-binary.sh
source "$(dirname "$0")/lib/cached-binary.sh"

use_override CENTRIFUGO_BINARY "$CENTRIFUGO_VERSION" version

use_cached "$target"

command -v go >/dev/null 2>&1 || fail "Centrifugo v$CENTRIFUGO_VERSION is not cached at $target and there is no Go toolchain to build it (install Go >= 1.26)"

build="$(dirname "$target")/build"
rm -rf "$build"
mkdir -p "$build/bin"
log="$build/build.log"

say "building Centrifugo v$CENTRIFUGO_VERSION with go install from the Go module proxy into $target"
say "(first run only: ~940 MB of modules, about 3 minutes on 2 cores)"
# Outside any module or workspace of the caller, so `go install pkg@version` uses only the
# module's own go.mod.
cd "$build"
export GOWORK=off GOFLAGS=
if ! go mod download -x "$module@v$CENTRIFUGO_VERSION" >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "go could not download the Centrifugo v$CENTRIFUGO_VERSION module (full log: $log)"
fi
say "module downloaded; downloading its dependencies and compiling"
# go is silent while it works: report every 20 s (go's -x lines in the log count the fetches).
started=$SECONDS
(
  while sleep 20; do
    say "... still building, $((SECONDS - started)) s ($(grep -c '^# get .*200 OK' "$log" 2>/dev/null || true) files fetched)"
  done
) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
if ! CGO_ENABLED=0 GOBIN="$build/bin" go install -x -trimpath -ldflags "$ldflags" "$module@v$CENTRIFUGO_VERSION" >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "go install of Centrifugo v$CENTRIFUGO_VERSION failed (full log: $log)"
fi
kill "$ticker" 2>/dev/null || true
mv "$build/bin/centrifugo" "$target"
rm -rf "$build"
say "built: $("$target" version 2>&1 | head -n 1)"
printf '%s\n' "$target"
