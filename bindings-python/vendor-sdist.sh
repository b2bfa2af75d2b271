#!/usr/bin/env bash
# Makes maturin's sdist build offline: its crates vendored into vendor/ and a
# .cargo/config.toml that points cargo there (cargo reads it from the directory pip
# builds in: the unpacked sdist). The Rust crates' dev-dependencies, tests and benches
# are dropped first, or the vendored tree would carry criterion's and proptest's
# Windows crates (200 MB); what the library builds with is unchanged (Cargo.lock keeps
# every version it pins, `cargo vendor --locked` refuses any other).
#
#   bindings-python/vendor-sdist.sh SDIST.tar.gz    rewrites SDIST.tar.gz in place
set -euo pipefail

sdist=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$sdist" -C "$work"
root=$(echo "$work"/*/)
root=${root%/}
name=$(basename "$root")

for manifest in "$root"/*/Cargo.toml; do
    # Drop [dev-dependencies] and [[bench]] tables (up to the next table header).
    awk '/^\[/ { skip = ($0 ~ /^\[(dev-dependencies|\[bench\])\]/) } !skip' "$manifest" > "$manifest.new"
    mv "$manifest.new" "$manifest"
    rm -rf "$(dirname "$manifest")/benches" "$(dirname "$manifest")/tests"/*.rs \
        "$(dirname "$manifest")/tests"/*.proptest-regressions
    rmdir --ignore-fail-on-non-empty "$(dirname "$manifest")/tests" 2>/dev/null || true
done
# Cargo.lock still lists the dev-dependencies: let cargo drop those entries (offline,
# from the registry cache the workspace build filled), then vendor exactly that lock.
(cd "$root" && cargo metadata --offline --format-version 1 > /dev/null)
(cd "$root" && cargo vendor --quiet --offline --locked --versioned-dirs vendor)
mkdir -p "$root/.cargo"
cat > "$root/.cargo/config.toml" <<'TOML'
# Written by bindings-python/vendor-sdist.sh: build from vendor/, never the network.
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "vendor"

[net]
offline = true
TOML

# Repack deterministically (sorted names, no owners, the sdist's own PKG-INFO time).
mtime=$(stat -c %Y "$root/PKG-INFO")
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$work" -cf - "$name" | gzip -n -9 > "$sdist"
echo "vendor-sdist: $(basename "$sdist"): $(ls "$root/vendor" | wc -l) crates vendored, $(du -sh "$sdist" | cut -f1)"
