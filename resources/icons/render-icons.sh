#!/usr/bin/env bash
# Renders Docket's icon from its one source, docket.svg, into every form the installers need:
#   hicolor/<N>x<N>/apps/docket.png  Linux (freedesktop icon theme sizes)
#   docket.ico                       Windows (the executable's resource and the installer)
#   docket.icns                      macOS (the app bundle)
# The results are committed so Windows and macOS builds need no SVG renderer; after changing the
# SVG, run this script and commit what it writes. `render-icons.sh --check` renders into a
# temporary folder and fails if the committed PNGs no longer match the SVG (the packaging tests
# run it). Needs rsvg-convert (librsvg2-bin), ImageMagick and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sizes=(16 22 24 32 48 64 128 256 512)

check=0
out="$here"
if [ "${1:-}" = "--check" ]; then
    check=1
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi

for tool in rsvg-convert convert compare python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "render-icons.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2
        [ "$check" = 1 ] && exit 77 # ctest: skipped
        exit 2
    fi
done

for size in "${sizes[@]}" 1024; do
    dir="$out/hicolor/${size}x${size}/apps"
    [ "$size" = 1024 ] && dir="$out/.work"   # only for the .icns's 512@2x entry
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" "$here/docket.svg" --output "$dir/docket.png"
done

if [ "$check" = 1 ]; then
    stale=0
    for size in "${sizes[@]}"; do
        relative="hicolor/${size}x${size}/apps/docket.png"
        [ -f "$here/$relative" ] || { echo "missing: $relative" >&2; stale=1; continue; }
        # A few percent of fuzz: another librsvg release may anti-alias edges slightly
        # differently; a changed SVG changes far more than that.
        differing=$(compare -metric AE -fuzz 4% "$here/$relative" "$out/$relative" null: 2>&1) || true
        if [ "$differing" != 0 ]; then
            echo "stale: $relative ($differing pixels differ from docket.svg)" >&2
            stale=1
        fi
    done
    [ "$stale" = 0 ] && echo "The committed icons match docket.svg."
    exit "$stale"
fi

png() { echo "$out/hicolor/$1x$1/apps/docket.png"; }
# Windows: ImageMagick stores the small sizes as bitmaps and 256 as PNG, as Explorer expects.
convert "$(png 16)" "$(png 24)" "$(png 32)" "$(png 48)" "$(png 64)" "$(png 128)" "$(png 256)" \
    "$out/docket.ico"

# macOS: an .icns is a list of typed PNG entries (what iconutil writes); written here so no Mac
# is needed to make it.
python3 - "$out/docket.icns" \
    icp4="$(png 16)" ic11="$(png 32)" icp5="$(png 32)" ic12="$(png 64)" \
    ic07="$(png 128)" ic13="$(png 256)" ic08="$(png 256)" ic14="$(png 512)" \
    ic09="$(png 512)" ic10="$out/.work/docket.png" <<'PY'
import struct, sys
entries = b""
for argument in sys.argv[2:]:
    kind, path = argument.split("=", 1)
    data = open(path, "rb").read()
    entries += kind.encode("ascii") + struct.pack(">I", len(data) + 8) + data
with open(sys.argv[1], "wb") as icns:
    icns.write(b"icns" + struct.pack(">I", len(entries) + 8) + entries)
PY
rm -rf "$out/.work"
echo "Rendered docket.svg into $out"
