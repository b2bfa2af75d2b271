#!/usr/bin/env bash
# Makes a source package (the Python sdist, the Ruby source gem) build without the
# network: every crate it needs vendored into ROOT/VENDOR and a ROOT/.cargo/config.toml
# that points cargo there (cargo reads it from the directory the package builds in).
#
#   scripts/vendor-crates.sh ROOT VENDOR CRATE_DIR...
#
# ROOT holds the Cargo.toml (a workspace or a standalone crate) and the Cargo.lock to
# vendor; VENDOR is relative to ROOT ("-": only drop what is below and prune the lock,
# vendor nothing); each CRATE_DIR is a Rust crate inside ROOT whose
# dev-dependencies, [[bench]]/[[test]]/[[example]] targets, benches and Rust tests are
# dropped first (non-Rust files under tests/ stay), or the vendored tree would carry
# criterion's and proptest's Windows crates (200 MB). What the library builds with is
# unchanged: Cargo.lock keeps every version it pins, and `cargo vendor --locked`
# refuses any other. Used by bindings-python/vendor-sdist.sh and bindings-ruby's
# `rake gem` (USERHASH_VENDOR_CRATES=1).
set -euo pipefail

root=$1 vendor=$2
shift 2
for dir in "$@"; do
    # Drop each [dev-dependencies] (also target-specific) and target table, up to the next header.
    awk '/^\[/ { skip = ($0 ~ /^\[([^]]*\.)?dev-dependencies(\.[^]]*)?\]|^\[\[(bench|test|example)\]\]/) } !skip' \
        "$dir/Cargo.toml" > "$dir/Cargo.toml.new"
    mv "$dir/Cargo.toml.new" "$dir/Cargo.toml"
    rm -rf "$dir/benches" "$dir/tests"/*.rs "$dir/tests"/*.proptest-regressions
    rmdir --ignore-fail-on-non-empty "$dir/tests" 2>/dev/null || true
done
# Cargo.lock may still list the dropped dependencies: let cargo prune it (offline, from
# the registry cache the workspace build filled, else from the registry), then vendor
# exactly that lock.
cd "$root"
cargo metadata --offline --format-version 1 > /dev/null 2>&1 || cargo metadata --format-version 1 > /dev/null
[ "$vendor" = - ] && exit 0
cargo vendor --quiet --offline --locked --versioned-dirs "$vendor" > /dev/null 2>&1 ||
    cargo vendor --quiet --locked --versioned-dirs "$vendor" > /dev/null
mkdir -p .cargo
cat > .cargo/config.toml <<TOML
# Written by scripts/vendor-crates.sh: build from $vendor/, never the network.
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "$vendor"

[net]
offline = true
TOML
echo "vendor-crates: $(ls "$vendor" | wc -l) crates in $root/$vendor"
