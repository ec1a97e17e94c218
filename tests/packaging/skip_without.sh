#!/bin/sh
# skip_without.sh TOOL [ARGS...]: runs TOOL, or exits 77 (ctest's "skipped") when it is not
# installed, so a machine without the packaging tools skips rather than fails these checks.
command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 is not installed (scripts/install-deps.sh installs it)"; exit 77; }
exec "$@"
