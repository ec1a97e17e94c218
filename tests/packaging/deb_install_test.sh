#!/usr/bin/env bash
# deb_install_test.sh DEB_DIR VERSION APP_ID SCREENSHOT_DIR BUILD_DIR FIXTURE_DIR
#
# The Linux installer, end to end on this machine: the .deb deb_package built (and checked) in
# DEB_DIR is installed with apt-get; then run `docket --version`,
# `docket-cli --help` and `docket-sandbox --version` from /usr/bin, start the installed
# `docket --sandbox` under Xvfb, check that it started the installed docket-sandbox, take a
# screenshot, and remove the package again (always: a trap). The throwaway home holds what an
# earlier release left (FIXTURE_DIR: accounts, audit trail, Invox index) where Docket keeps it:
# the installed docket-cli must read it, and it must all be there after `apt-get purge`. Skips (exit 77) unless run as root
# on a dpkg system, and when a docket package was already installed (it is not ours to replace).
set -euo pipefail

debs=$1 version=$2 app_id=$3 shots=$4 build=$5 fixtures=$6
. "$(dirname "$0")/package_support.sh"
step() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v dpkg >/dev/null && command -v apt-get >/dev/null || skip "not a dpkg system"
for tool in xvfb-run xwininfo import; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh)"
done

# One run at a time on this machine, whichever build folder or checkout it comes from: two
# would install and remove the same package under each other.
exec 9>/var/lock/docket-deb-install-test.lock
flock -w 300 9 || fail "another deb_install test held the lock for 5 minutes"

if dpkg-query -W -f='${Status}' docket 2>/dev/null | grep -q 'install ok installed'; then
    skip "a docket package is already installed; remove it (apt-get remove docket) to run this"
fi

work=$(mktemp -d)
installed=0
cleanup() {
    status=$?
    if [ "$installed" = 1 ]; then
        step "removing the package"
        apt-get purge -y -qq -o DPkg::Lock::Timeout=120 docket >/dev/null 2>&1 \
            || dpkg --purge docket >/dev/null 2>&1 || echo "could not remove docket" >&2
        if dpkg-query -W -f='${Status}' docket 2>/dev/null | grep -q 'installed'; then
            echo "FAIL: the docket package is still installed" >&2
            status=1
        fi
        for path in /usr/bin/docket /usr/bin/docket-cli /usr/bin/docket-sandbox \
                    "/usr/share/applications/$app_id.desktop"; do
            [ ! -e "$path" ] || { echo "FAIL: $path is left after removal" >&2; status=1; }
        done
        for path in "${user_data[@]}"; do
            [ -s "$path" ] || { echo "FAIL: purging the package removed $path" >&2; status=1; }
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
# Docket's settings and the practice run's files go to a throwaway home.
export HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
mkdir -p "$HOME/.config/Docket" "$HOME/.local/share/Docket"
cp "$fixtures/accounts-0.1.0.conf" "$HOME/.config/Docket/Docket.conf"
cp "$fixtures/audit-v1.sqlite" "$HOME/.local/share/Docket/audit.sqlite"
cp "$fixtures/invox-index-v1.sqlite" "$HOME/.local/share/Docket/invox-index.sqlite"
user_data=("$HOME/.config/Docket/Docket.conf" "$HOME/.local/share/Docket/audit.sqlite"
           "$HOME/.local/share/Docket/invox-index.sqlite")

deb=$(find "$debs" -maxdepth 1 -name "docket_${version}_*.deb" | head -n 1)
[ -n "$deb" ] || fail "no docket_${version}_*.deb in $debs: deb_package (its fixture) builds it"
echo "$(basename "$deb")"

step "installing it"
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "$deb" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install failed"; }
installed=1

step "running the installed programs"
[ "$(command -v docket)" = /usr/bin/docket ] || fail "docket on PATH is $(command -v docket)"
# The first line names the version; the license follows it.
out=$(QT_QPA_PLATFORM=offscreen /usr/bin/docket --version)
echo "$out"
[ "$(head -n 1 <<<"$out")" = "docket $version" ] || fail "docket --version printed '$out'"
grep -qF GPL-3.0-or-later <<<"$out" || fail "docket --version names no license"
out=$(/usr/bin/docket-cli --help)
grep -q '^Commands:' <<<"$out" && grep -q -- '--dry-run' <<<"$out" \
    || fail "docket-cli --help printed: $out"
echo "docket-cli --help: $(wc -l <<<"$out") lines"
# An earlier release's accounts and audit trail, read from where it left them.
out=$(/usr/bin/docket-cli accounts)
grep -q 'Front desk' <<<"$out" && grep -q 'Dr Rivera' <<<"$out" \
    || fail "docket-cli accounts did not list the earlier release's accounts: $out"
out=$(/usr/bin/docket-cli audit)
grep -q 'Morning clinic' <<<"$out" || fail "docket-cli audit did not show the earlier trail: $out"
echo "the earlier release's accounts and audit trail: read"
out=$(/usr/bin/docket-sandbox --version)
echo "$out"
[ "$(head -n 1 <<<"$out")" = "docket-sandbox $version" ] \
    || fail "docket-sandbox --version printed '$out'"
for binary in /usr/bin/docket /usr/bin/docket-cli /usr/bin/docket-sandbox; do
    # No RPATH at all: nothing of the build folder, nor a $ORIGIN that could load a stray library.
    if readelf -d "$binary" | grep -E 'RPATH|RUNPATH'; then fail "$binary has an RPATH"; fi
    if grep -qF "$build" "$binary"; then fail "$binary mentions the build folder $build"; fi
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "/usr/share/applications/$app_id.desktop" || fail "desktop entry"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" >/dev/null \
        || fail "AppStream metadata"
fi

step "starting the installed docket --sandbox under Xvfb"
mkdir -p "$shots"
shot="$shots/installed-docket-sandbox.png"
rm -f "$shot"
# Inside the X server: start Docket, wait for its window, check that the sandbox it started is
# the installed one, give the practice accounts a moment to sign in, then screenshot.
cat >"$work/in-xvfb.sh" <<'INNER'
set -u
shot=$1
QT_QPA_PLATFORM=xcb /usr/bin/docket --sandbox >"$HOME/docket.log" 2>&1 &
docket=$!
trap 'kill $docket 2>/dev/null; wait $docket 2>/dev/null' EXIT
for _ in $(seq 1 150); do
    xwininfo -root -tree 2>/dev/null | grep -q 'practice (sandbox)' && break
    kill -0 $docket 2>/dev/null || { echo "docket exited early:"; cat "$HOME/docket.log"; exit 1; }
    sleep 0.2
done
xwininfo -root -tree | grep -q 'practice (sandbox)' || { echo "no Docket window"; exit 1; }
sandbox=""
for _ in $(seq 1 100); do
    sandbox=$(pgrep -P $docket -x docket-sandbox || true)
    [ -n "$sandbox" ] && break
    sleep 0.1
done
[ -n "$sandbox" ] || { echo "docket started no docket-sandbox"; cat "$HOME/docket.log"; exit 1; }
exe=$(readlink "/proc/$sandbox/exe")
echo "docket started $exe"
[ "$exe" = /usr/bin/docket-sandbox ] || { echo "not the installed sandbox"; exit 1; }
sleep 4 # the four practice accounts sign in and list their first pages
import -window root "$shot" || exit 1
kill $docket
wait $docket 2>/dev/null
# The sandbox ends with Docket.
for _ in $(seq 1 50); do kill -0 "$sandbox" 2>/dev/null || exit 0; sleep 0.1; done
echo "docket-sandbox outlived docket"
exit 1
INNER
xvfb-run -a -s "-screen 0 1280x800x24" bash "$work/in-xvfb.sh" "$shot" \
    || fail "the installed docket --sandbox did not run as expected"
[ -s "$shot" ] || fail "no screenshot"
echo "Screenshot: $shot"
step "done"
