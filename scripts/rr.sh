#!/usr/bin/env bash
# Provides the pinned RoadRunner server binary and prints its absolute path as the last line of
# stdout (progress goes to stderr). Order of preference:
#   1. $RR_BINARY, if set (e.g. a release binary you downloaded yourself);
#   2. a binary cached by an earlier run: $RR_CACHE_DIR/rr/v$RR_VERSION-<hash of peers/rr>/rr
#      (RR_CACHE_DIR defaults to ${XDG_CACHE_HOME:-~/.cache}/roadrunner-runtime);
#   3. a build of peers/rr (our main over rr v$RR_VERSION's plugins, see its go.mod) from the Go
#      module proxy (needs Go >= 1.26.4).
# Nothing is downloaded except Go modules through the ordinary `go` command.
set -euo pipefail

RR_VERSION=2025.1.15
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${RR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roadrunner-runtime}"
# A change to the wrapper (main.go, a pinned version) gets a binary of its own.
peer_hash="$(cat "$root/peers/rr/go.mod" "$root/peers/rr/go.sum" "$root/peers/rr/main.go" | sha256sum | cut -c1-12)"
target="$cache/rr/v$RR_VERSION-$peer_hash/rr"

SCRIPT=rr.sh
OVERRIDE_HINT="To use a RoadRunner binary you already have, point RR_BINARY at it:
  RR_BINARY=/path/to/rr npm test
(release binaries: https://github.com/roadrunner-server/roadrunner/releases/tag/v$RR_VERSION)"
# shellcheck source=lib/cached-binary.sh
source "$(dirname "$0")/lib/cached-binary.sh"

use_override RR_BINARY "$RR_VERSION" --version

use_cached "$target"

command -v go >/dev/null 2>&1 || fail "rr v$RR_VERSION is not cached at $target and there is no Go toolchain to build it (install Go >= 1.26.4)"

build="$(dirname "$target")/build"
rm -rf "$build"
mkdir -p "$build"
cp "$root/peers/rr/go.mod" "$root/peers/rr/go.sum" "$root/peers/rr/main.go" "$build/"

say "building RoadRunner v$RR_VERSION (peers/rr) from the Go module proxy into $target"
say "(first run only: it downloads ~300 modules and compiles them, several minutes on 2 cores)"
cd "$build"
log="$build/build.log"
export GOWORK=off GOFLAGS=-mod=readonly
if ! go mod download >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "go could not download the modules of rr v$RR_VERSION's plugins (full log: $log)"
fi
say "modules downloaded; compiling"
if ! CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$target.tmp" . >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "go build of rr v$RR_VERSION failed (full log: $log)"
fi
mv "$target.tmp" "$target"
say "built: $("$target" --version 2>&1 | head -n 1)"
printf '%s\n' "$target"
