# Sourced by the package tests (bash): how they skip and fail, and how they build a package.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# build_package BUILD_DIR OUT_DIR GENERATOR STALE_GLOB PACKAGE_GLOB
# Builds the GENERATOR (DEB, RPM) package with cpack from BUILD_DIR into OUT_DIR, first removing
# the earlier packages there (STALE_GLOB) so the one found after is this build's; sets $package to
# the file named PACKAGE_GLOB that cpack wrote. cpack's output goes to OUT_DIR/cpack-<generator>.log
# and is shown only when it fails.
build_package() {
    local build=$1 out=$2 generator=$3 stale=$4 glob=$5
    mkdir -p "$out"
    rm -f "$out"/$stale
    local log="$out/cpack-${generator,,}.log"
    cpack --config "$build/CPackConfig.cmake" -G "$generator" -B "$out" >"$log" 2>&1 \
        || { cat "$log"; fail "cpack -G $generator failed"; }
    package=$(find "$out" -maxdepth 1 -name "$glob" | head -n 1)
    [ -n "$package" ] || { cat "$log"; fail "no $glob was written"; }
    echo "$(basename "$package"): $(du -h "$package" | cut -f1)"
}
