#!/usr/bin/env bash
# deb_install_test.sh BUILD_DIR VERSION APP_ID SCREENSHOT_DIR
#
# The Linux installer, end to end on this machine: build the .deb with cpack from BUILD_DIR,
# check what it declares and holds, install it with apt-get, run `docket --version`,
# `docket-cli --help` and `docket-sandbox --version` from /usr/bin, start the installed
# `docket --sandbox` under Xvfb, check that it started the installed docket-sandbox, take a
# screenshot, and remove the package again (always: a trap). Skips (exit 77) unless run as root
# on a dpkg system, and when a docket package was already installed (it is not ours to replace).
set -euo pipefail

build=$1 version=$2 app_id=$3 shots=$4
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v dpkg >/dev/null && command -v apt-get >/dev/null || skip "not a dpkg system"
for tool in cpack xvfb-run xwininfo import; do
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
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
# Docket's settings and the practice run's files go to a throwaway home.
export HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"

step "building the .deb"
# cpack first brings BUILD_DIR up to date (its `preinstall` step): a no-op after
# scripts/test.sh's build. RUN_SERIAL (CMakeLists.txt) keeps other tests from running meanwhile.
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(find "$work/out" -maxdepth 1 -name "docket_${version}_*.deb" | head -n 1)
[ -n "$deb" ] || { cat "$work/cpack.log"; fail "no docket_${version}_*.deb was written"; }
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"

step "checking what it declares and holds"
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
for dependency in libsecret-1-0 qt6-qpa-plugins libqt6sql6-sqlite libqt6core6 libqt6widgets6 \
                  libqt6keychain1 libqt6httpserver6; do
    # The libqt6… ones come from dpkg-shlibdeps: their absence would mean it did not run.
    grep -q "$dependency" <<<"$depends" || fail "Depends lacks $dependency"
done
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/docket ./usr/bin/docket-cli ./usr/bin/docket-sandbox \
            "./usr/share/applications/$app_id.desktop" "./usr/share/metainfo/$app_id.metainfo.xml" \
            "./usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
            ./usr/share/man/man1/docket.1.gz ./usr/share/man/man1/docket-cli.1.gz \
            ./usr/share/man/man1/docket-sandbox.1.gz; do
    grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
for size in 16 22 24 32 48 64 128 256 512; do
    grep -qxF "./usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png" <<<"$contents" \
        || fail "the package lacks the ${size}x${size} icon"
done

step "installing it"
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "$deb" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install failed"; }
installed=1

step "running the installed programs"
[ "$(command -v docket)" = /usr/bin/docket ] || fail "docket on PATH is $(command -v docket)"
out=$(QT_QPA_PLATFORM=offscreen /usr/bin/docket --version)
echo "$out"
[ "$out" = "docket $version" ] || fail "docket --version printed '$out'"
out=$(/usr/bin/docket-cli --help)
grep -q '^Commands:' <<<"$out" && grep -q -- '--dry-run' <<<"$out" \
    || fail "docket-cli --help printed: $out"
echo "docket-cli --help: $(wc -l <<<"$out") lines"
out=$(/usr/bin/docket-sandbox --version)
echo "$out"
[ "$out" = "docket-sandbox $version" ] || fail "docket-sandbox --version printed '$out'"
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
