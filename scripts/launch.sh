#!/usr/bin/env bash
# Builds Docket and launches it on the bundled sandbox: ./scripts/launch.sh
# Installs what it needs first. The sandbox (docket-sandbox) serves all four services on loopback
# with generated data; it prints its addresses and demo credentials, and stops when Docket quits.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target docket docket-sandbox

bin=build/default
addresses=$(mktemp -d)/sandbox.json
"$bin/sandbox/docket-sandbox" --addresses-file "$addresses" &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$addresses" ] && break; sleep 0.1; done
[ -s "$addresses" ] || { echo "docket-sandbox did not start" >&2; exit 1; }

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "No display found: starting Docket under xvfb-run (set DISPLAY to see the window)." >&2
    exec_prefix=(xvfb-run -a)
else
    exec_prefix=()
fi
"${exec_prefix[@]}" "$bin/app/docket" "$@"
