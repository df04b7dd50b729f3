#!/usr/bin/env bash
# Generates the API reference from the TSDoc of every public entry point into docs/api/ (HTML;
# not committed). `npm run docs:api`; extra arguments go to typedoc (e.g. --emit none to only
# validate). TypeDoc 0.28 supports TypeScript up to 6.0 while this repository compiles with 7, so
# TypeDoc and the TypeScript it reads with are installed from npm into the cache beside rr, once,
# rather than into the package's devDependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

TYPEDOC_VERSION=0.28.20
TYPESCRIPT_VERSION=5.9
cache="${RR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roadrunner-runtime}/typedoc-$TYPEDOC_VERSION-ts$TYPESCRIPT_VERSION"
if [ ! -x "$cache/node_modules/.bin/typedoc" ]; then
  printf '[api-docs.sh] installing typedoc %s with typescript %s into %s\n' "$TYPEDOC_VERSION" "$TYPESCRIPT_VERSION" "$cache" >&2
  mkdir -p "$cache"
  printf '{ "private": true }\n' > "$cache/package.json"
  npm install --prefix "$cache" --no-audit --no-fund --silent "typedoc@$TYPEDOC_VERSION" "typescript@$TYPESCRIPT_VERSION" >&2
fi
exec node "$cache/node_modules/typedoc/bin/typedoc" --options typedoc.json "$@"
