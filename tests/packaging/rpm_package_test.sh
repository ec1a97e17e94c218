#!/usr/bin/env bash
# rpm_package_test.sh BUILD_DIR VERSION APP_ID OUT_DIR SOURCE_DIR HOMEPAGE
#
# The .rpm, built with cpack from BUILD_DIR into OUT_DIR (it cannot be installed on Debian): it
# must require the shared libraries rpmbuild finds and the run-time ones named in
# CPackSettings.cmake, hold the same files as the .deb and LICENSE as its %license file, claim no
# folder that Fedora's filesystem package owns, carry no scriptlet (an upgrade or a removal must
# not touch users' data), and pass rpmlint. Skips (exit 77) without rpmbuild (Debian's `rpm`
# package) or rpmlint (scripts/install-deps.sh).
set -euo pipefail
build=$1 version=$2 app_id=$3 out=$4 source=$5 homepage=${6:-}
. "$(dirname "$0")/package_support.sh"
for tool in rpmbuild rpmlint python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh)"
done
spdx_ids=/usr/share/nodejs/spdx-license-ids/index.json # Debian's node-spdx-license-ids
[ -f "$spdx_ids" ] || skip "$spdx_ids is missing (scripts/install-deps.sh: node-spdx-license-ids)"

build_package "$build" "$out" RPM 'docket-*.rpm' "docket-${version}-*.rpm"
rpm=$package

requires=$(rpm -qp --requires "$rpm")
for requirement in 'libsecret-1.so.0()(64bit)' qt6-qtbase-gui 'libQt6Core.so.6()(64bit)' \
                   'libQt6Widgets.so.6()(64bit)' 'libqt6keychain.so.1()(64bit)' \
                   'libQt6HttpServer.so.6()(64bit)'; do
    grep -qxF "$requirement" <<<"$requires" || fail "the rpm does not require $requirement"
done
files=$(rpm -qpl "$rpm")
for path in /usr/bin/docket /usr/bin/docket-cli /usr/bin/docket-sandbox \
            "/usr/share/applications/$app_id.desktop" "/usr/share/metainfo/$app_id.metainfo.xml" \
            "/usr/share/icons/hicolor/256x256/apps/$app_id.png" /usr/share/man/man1/docket.1.gz \
            /usr/share/man/man1/docket-cli.1.gz /usr/share/man/man1/docket-sandbox.1.gz \
            /usr/share/licenses/docket/LICENSE; do
    grep -qxF "$path" <<<"$files" || fail "the rpm lacks $path"
done
for folder in /usr /usr/bin /usr/share /usr/share/applications /usr/share/icons/hicolor \
              /usr/share/icons/hicolor/48x48/apps /usr/share/man/man1 /usr/share/licenses \
              /usr/lib/.build-id; do
    if grep -qxF "$folder" <<<"$files"; then fail "the rpm claims $folder"; fi
done
# Nothing outside /usr (users' data is in their home folders), nor Debian's copyright files.
if grep -vE '^/usr(/|$)' <<<"$files"; then fail "files outside /usr (above)"; fi
if grep -F /usr/share/doc/docket <<<"$files"; then fail "the .deb's doc files are here"; fi
scriptlets=$(rpm -qp --scripts "$rpm")
[ -z "$scriptlets" ] || fail "the rpm has scriptlets: $scriptlets"

# The license: SPDX in the License tag, LICENSE itself as the %license file.
[ "$(rpm -qp --queryformat '%{LICENSE}' "$rpm")" = GPL-3.0-or-later ] || fail "License tag"
[ "$(rpm -qp --licensefiles "$rpm")" = /usr/share/licenses/docket/LICENSE ] || fail "%license"
digest=$(rpm -qp --dump "$rpm" | awk '$1 == "/usr/share/licenses/docket/LICENSE" {print $4}')
[ "$digest" = "$(sha256sum "$source/LICENSE" | cut -d' ' -f1)" ] \
    || fail "the rpm's LICENSE is not the repository's"
[ "$(rpm -qp --queryformat '%{VERSION}' "$rpm")" = "$version" ] || fail "wrong version"
rpm -qp --queryformat '%{DESCRIPTION}' "$rpm" | grep -q 'Docket signs in' || fail "description"
rpm -qp --changelog "$rpm" | head -n 1 | grep -qF -- "- $version-" || fail "changelog"
[ -n "$(rpm -qp --queryformat '%{PACKAGER}' "$rpm" | grep -v '(none)')" ] || fail "no Packager"
echo "requires: $(wc -l <<<"$requires"), files: $(wc -l <<<"$files")"

# rpmlint, as a Fedora build would run it: Debian's rpmlint has no distribution configuration, so
# the two settings Fedora's gives are made here: man pages gzipped (Fedora's brp-compress), and
# licenses as SPDX identifiers (those of the SPDX list). Every error and warning fails except
# these, each of which does not apply to the package as built:
#   no-signature               signing is the releaser's, with their key (README, "Installing")
#   no-manual-page-for-binary  rpmlint 2.4.0 records a man page's section ("1") instead of its
#                              name, so it reports every binary; the pages are checked above
#   no-url-tag                 only when configured without a homepage (DOCKET_HOMEPAGE_URL)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$spdx_ids" >"$work/rpmlint.toml" <<'PY'
import json, sys
print('CompressExtension = "gz"')
print("ValidLicenses = " + json.dumps(json.load(open(sys.argv[1]))))
PY
allowed=(no-signature no-manual-page-for-binary)
[ -n "$homepage" ] || allowed+=(no-url-tag)
rpmlint -c "$work/rpmlint.toml" "$rpm" >"$work/rpmlint.txt" 2>&1 || true
grep -E ': [EW]: |packages and' "$work/rpmlint.txt" || true
bad=$(grep -E '^[^ ]+: [EW]: ' "$work/rpmlint.txt" | awk '{print $3}' | sort -u | while read -r tag; do
    printf '%s\n' "${allowed[@]}" | grep -qxF "$tag" || echo "$tag"
done)
grep -q 'packages and' "$work/rpmlint.txt" || { cat "$work/rpmlint.txt"; fail "rpmlint did not run"; }
[ -z "$bad" ] || fail "rpmlint: $(echo $bad)"
