#!/usr/bin/env bash
# Builds Docket and launches it on the bundled sandbox: ./scripts/launch.sh
# Installs what it needs first. `docket --sandbox` starts docket-sandbox (all four services on
# loopback, generated data) with one practice account per service, and stops it when Docket quits.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target docket docket-sandbox

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "No display found: starting Docket under xvfb-run (set DISPLAY to see the window)." >&2
    exec xvfb-run -a build/default/app/docket --sandbox "$@"
fi
exec build/default/app/docket --sandbox "$@"
