#!/usr/bin/env bash
# deb_package_test.sh BUILD_DIR VERSION APP_ID OUT_DIR SOURCE_DIR
#
# The .deb as Debian would judge it: built with cpack from BUILD_DIR into OUT_DIR (where
# deb_install then installs it from, so it is built once), it must declare the libraries it
# needs, hold Docket's files and nothing under a user's folders, carry no maintainer script (so
# neither an upgrade nor a removal can touch users' data), ship the machine-readable copyright
# file pointing at the GPL text that is LICENSE, and pass lintian with no error or warning.
# Skips (exit 77) without cpack and dpkg-deb, or without lintian (scripts/install-deps.sh).
set -euo pipefail

build=$1 version=$2 app_id=$3 out=$4 source=$5
. "$(dirname "$0")/package_support.sh"

for tool in cpack dpkg-deb lintian; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh)"
done

build_package "$build" "$out" DEB 'docket_*.deb' "docket_${version}_*.deb"
deb=$package

depends=$(dpkg-deb --field "$deb" Depends)
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
            ./usr/share/man/man1/docket-sandbox.1.gz \
            ./usr/share/doc/docket/copyright ./usr/share/doc/docket/changelog.gz; do
    grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
for size in 16 22 24 32 48 64 128 256 512; do
    grep -qxF "./usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png" <<<"$contents" \
        || fail "the package lacks the ${size}x${size} icon"
done
# Everything under /usr: nothing in /etc, /var or a home folder (~/.config/Docket,
# ~/.local/share/Docket and the keychain are the user's), and not the .rpm's license file.
if grep -vE '^\./(usr(/.*)?)?$' <<<"$contents"; then fail "files outside /usr (above)"; fi
if grep -F ./usr/share/licenses <<<"$contents"; then fail "the .rpm's license folder is here"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --control "$deb" "$work/control"
scripts=$(cd "$work/control" && ls | grep -vxE 'control|md5sums|shlibs|triggers' || true)
[ -z "$scripts" ] || fail "the package has maintainer scripts: $scripts"

# The license: DEP-5, GPL-3.0-or-later, pointing at base-files' GPL-3, which must be the very
# text of LICENSE (Debian forbids shipping a copy of a common license: lintian's
# copyright-file-contains-full-gpl-license).
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" ./usr/share/doc/docket
copyright="$work/usr/share/doc/docket/copyright"
head -n 1 "$copyright" | grep -qxF 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    || fail "the copyright file is not machine-readable (DEP-5)"
grep -qxF 'License: GPL-3.0-or-later' "$copyright" || fail "the copyright file names no GPL-3.0-or-later"
grep -qF '/usr/share/common-licenses/GPL-3' "$copyright" || fail "the copyright file does not point at the GPL"
cmp -s "$source/LICENSE" /usr/share/common-licenses/GPL-3 \
    || fail "LICENSE is not the GPL-3 text of /usr/share/common-licenses/GPL-3"
zcat "$work/usr/share/doc/docket/changelog.gz" | head -n 1 | grep -qF "docket ($version)" \
    || fail "changelog.gz does not start with docket ($version)"

# lintian: every error and warning fails. Its infos (hardening flags Debian's own builds add,
# the .comment section, the Invox API's own spelling "messsage") are listed in the README.
lintian --tag-display-limit 0 --display-info "$deb" >"$work/lintian.txt" 2>&1 || true
grep -vE '^N: |^running with root' "$work/lintian.txt" || true
count() { grep -c "^$1: " "$work/lintian.txt" || true; }
echo "lintian: $(count E) errors, $(count W) warnings, $(count I) infos"
grep -qE '^[EW]: ' "$work/lintian.txt" && fail "lintian reports errors or warnings (above)"
exit 0
