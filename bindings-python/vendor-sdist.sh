#!/usr/bin/env bash
# Makes maturin's sdist build offline: its crates vendored into vendor/ and a
# .cargo/config.toml that points cargo there (cargo reads it from the directory pip
# builds in: the unpacked sdist), by scripts/vendor-crates.sh, which also drops the
# Rust crates' dev-dependencies, tests and benches.
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

# The crates of the sdist (core/, bindings-python/), each ROOT/*/Cargo.toml.
"$(dirname "$0")/../scripts/vendor-crates.sh" "$root" vendor $(dirname "$root"/*/Cargo.toml)

# Repack deterministically (sorted names, no owners, the sdist's own PKG-INFO time).
mtime=$(stat -c %Y "$root/PKG-INFO")
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$work" -cf - "$name" | gzip -n -9 > "$sdist"
echo "vendor-sdist: $(basename "$sdist"): $(du -sh "$sdist" | cut -f1)"
