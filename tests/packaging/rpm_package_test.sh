#!/usr/bin/env bash
# rpm_package_test.sh BUILD_DIR VERSION APP_ID
#
# The .rpm, built with cpack from BUILD_DIR (it cannot be installed on Debian): it must require
# the shared libraries rpmbuild finds and the run-time ones named in CPackSettings.cmake, hold
# the same files as the .deb, and claim no folder that Fedora's filesystem package owns.
# Skips (exit 77) without rpmbuild (Debian's `rpm` package).
set -euo pipefail
build=$1 version=$2 app_id=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v rpmbuild >/dev/null || { echo "SKIP: rpmbuild is not installed (Debian: rpm)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -G RPM -B "$work" >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; fail "cpack -G RPM failed"; }
rpm=$(find "$work" -maxdepth 1 -name "docket-${version}-*.rpm" | head -n 1)
[ -n "$rpm" ] || { cat "$work/cpack.log"; fail "no docket-${version}-*.rpm was written"; }
echo "$(basename "$rpm"): $(du -h "$rpm" | cut -f1)"

requires=$(rpm -qp --requires "$rpm")
for requirement in libsecret qt6-qtbase-gui 'libQt6Core.so.6()(64bit)' \
                   'libQt6Widgets.so.6()(64bit)' 'libqt6keychain.so.1()(64bit)' \
                   'libQt6HttpServer.so.6()(64bit)'; do
    grep -qxF "$requirement" <<<"$requires" || fail "the rpm does not require $requirement"
done
files=$(rpm -qpl "$rpm")
for path in /usr/bin/docket /usr/bin/docket-cli /usr/bin/docket-sandbox \
            "/usr/share/applications/$app_id.desktop" "/usr/share/metainfo/$app_id.metainfo.xml" \
            "/usr/share/icons/hicolor/256x256/apps/$app_id.png" /usr/share/man/man1/docket.1.gz; do
    grep -qxF "$path" <<<"$files" || fail "the rpm lacks $path"
done
for folder in /usr /usr/bin /usr/share /usr/share/applications /usr/share/icons/hicolor \
              /usr/share/icons/hicolor/48x48/apps /usr/share/man/man1 /usr/lib/.build-id; do
    if grep -qxF "$folder" <<<"$files"; then fail "the rpm claims $folder"; fi
done
[ "$(rpm -qp --queryformat '%{VERSION}' "$rpm")" = "$version" ] || fail "wrong version"
rpm -qp --queryformat '%{DESCRIPTION}' "$rpm" | grep -q 'Docket signs in' || fail "description"
echo "requires: $(wc -l <<<"$requires"), files: $(wc -l <<<"$files")"
