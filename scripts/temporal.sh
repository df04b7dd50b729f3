#!/usr/bin/env bash
# Provides the Temporal CLI (whose `temporal server start-dev` is the Temporal dev server the tests
# and the example run) and prints its absolute path as the last line of stdout (progress goes to
# stderr). Order of preference:
#   1. $TEMPORAL_BINARY, if set (e.g. a CLI you installed yourself);
#   2. a binary cached by an earlier run: $RR_CACHE_DIR/temporal/v$TEMPORAL_CLI_VERSION-<hash>/temporal
#      (RR_CACHE_DIR defaults to ${XDG_CACHE_HOME:-~/.cache}/roadrunner-runtime, as for rr);
#   3. `go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION` from the Go
#      module proxy (needs Go >= 1.25; a cold build downloads ~1.8 GB of modules, ~4 minutes on 2 cores).
# Nothing is downloaded except Go modules through the ordinary `go` command.
#
# Why v1.5.1 (Temporal Server 1.29.1): it is the newest CLI release that `go install` can build;
# every later one requires a nested `cliext` module through a `replace` directive, which
# `go install pkg@version` refuses and the module zip does not contain.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.5.1
module="github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
ldflags="-s -w -X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION"
cache="${RR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roadrunner-runtime}"
# A change to the recipe (module, flags) gets a binary of its own.
recipe_hash="$(printf '%s\n%s\n' "$module" "$ldflags" | sha256sum | cut -c1-12)"
target="$cache/temporal/v$TEMPORAL_CLI_VERSION-$recipe_hash/temporal"

SCRIPT=temporal.sh
OVERRIDE_HINT="To use a Temporal CLI you already have, point TEMPORAL_BINARY at it:
  TEMPORAL_BINARY=/path/to/temporal npm test"
# shellcheck source=lib/cached-binary.sh
source "$(dirname "$0")/lib/cached-binary.sh"

use_override TEMPORAL_BINARY "$TEMPORAL_CLI_VERSION" --version

use_cached "$target"

command -v go >/dev/null 2>&1 || fail "the Temporal CLI v$TEMPORAL_CLI_VERSION is not cached at $target and there is no Go toolchain to build it (install Go >= 1.25)"

build="$(dirname "$target")/build"
rm -rf "$build"
mkdir -p "$build/bin"
log="$build/build.log"

say "building the Temporal CLI v$TEMPORAL_CLI_VERSION (Temporal Server 1.29.1) from the Go module proxy into $target"
say "(first run only: it downloads ~1.8 GB of Go modules and compiles them, about 4 minutes on 2 cores; log: $log)"
cd "$build"
# GOWORK/GOFLAGS: the build must not pick up a go.work or -mod flag from the caller's environment.
if ! GOWORK=off GOFLAGS= CGO_ENABLED=0 GOBIN="$build/bin" \
  go install -trimpath -ldflags "$ldflags" "$module" >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "go install $module failed (full log: $log)"
fi
mv "$build/bin/temporal" "$target"
rm -rf "$build/bin"
say "built: $("$target" --version 2>&1 | head -n 1)"
printf '%s\n' "$target"
