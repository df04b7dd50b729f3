# Shared by scripts/rr.sh, centrifugo.sh and temporal.sh, which each provide one pinned binary
# built from Go modules and cached outside the repository, and print its path as the last line of
# stdout (progress on stderr). Source it after setting:
#   SCRIPT         the name progress lines start with, e.g. rr.sh
#   OVERRIDE_HINT  the lines `fail` prints on how to use a binary you already have
# A function `exit`s the calling script when it has printed the binary's path.

say() { printf '[%s] %s\n' "$SCRIPT" "$*" >&2; }

fail() {
  printf '[%s] error: %s\n' "$SCRIPT" "$*" >&2
  printf '%s\n' "$OVERRIDE_HINT" | sed "s/^/[$SCRIPT] /" >&2
  exit 1
}

# use_override VARIABLE PINNED_VERSION VERSION_ARGUMENT...: when $VARIABLE names a binary, print
# it (warning when it does not report the pinned version) and exit.
use_override() {
  local variable="$1" pinned="$2"
  shift 2
  local binary="${!variable:-}"
  [ -n "$binary" ] || return 0
  [ -x "$binary" ] || fail "$variable=$binary is not an executable file"
  local version
  version="$("$binary" "$@" 2>&1 || true)"
  case "$version" in *"$pinned"*) ;; *) say "warning: $binary reports '$(printf '%s' "$version" | head -n 1)', the project pins $pinned" ;; esac
  printf '%s\n' "$binary"
  exit 0
}

# use_cached TARGET: print TARGET and exit when an earlier run built it. Otherwise take the build
# lock (suites, benches and the example may ask together; the one that waited finds it built) and
# return, holding it, so the caller builds.
use_cached() {
  local target="$1"
  if [ -x "$target" ]; then
    printf '%s\n' "$target"
    exit 0
  fi
  mkdir -p "$(dirname "$target")"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$(dirname "$target")/.lock"
    flock 9
    if [ -x "$target" ]; then
      printf '%s\n' "$target"
      exit 0
    fi
  fi
}
