#!/usr/bin/env bash
# Installs, once, the Debian 12 packages Docket needs to build, run and test. Safe to run again:
# it only calls apt-get when something is missing.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev   # HttpServer's CMake config needs WebSockets
    qtkeychain-qt6-dev qt6-tools-dev qt6-l10n-tools libqt6sql6-sqlite libgl-dev
    libsimdjson-dev                                      # optional: fast reading of big JSON answers
    libsqlite3-dev                                       # optional: the audit trail test without WAL
    fonts-dejavu-core
    python3 python3-requests curl                        # the vendors' own examples, run as tests
    xvfb xauth x11-apps imagemagick                      # real-window checks and screenshots
    dbus dbus-x11 gnome-keyring libsecret-1-0            # a real OS keychain, headless
    file procps x11-utils rpm librsvg2-bin groff-base    # installers: cpack -G DEB/RPM, icons,
    desktop-file-utils appstream                         # man pages and their validators,
    lintian rpmlint node-spdx-license-ids                # the packages' (rpmlint: SPDX ids)
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Please install as root: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
