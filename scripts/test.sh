#!/usr/bin/env bash
# Builds Docket and runs every test: ./scripts/test.sh [extra ctest arguments]
# Installs what it needs first. Tests run headless (offscreen, or Xvfb where a real window is
# needed) inside a private D-Bus session with an unlocked gnome-keyring and a fresh HOME, so they
# never touch your own settings or keychain.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default

test_home=$(mktemp -d)
trap 'rm -rf "$test_home"' EXIT
export HOME="$test_home" XDG_RUNTIME_DIR="$test_home/run" QT_QPA_PLATFORM=offscreen
export DOCKET_REQUIRE_KEYCHAIN=1   # keychain tests fail, rather than skip, if it is missing
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c '
    echo -n docket-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec ctest --preset default -j2 "$@"' ctest "$@"
