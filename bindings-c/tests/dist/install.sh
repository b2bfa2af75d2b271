#!/usr/bin/env bash
# test-dist-c (mk/dist-c.mk): installs the C release tarball outside the repository and links
# a program against it, with whatever PATH the caller gives (make passes one without cargo).
#
#   install.sh TARBALL VERSION
#
# In a mktemp -d scratch directory: unpacks the tarball (its pkg-config files are
# relocatable), and also `make install PREFIX=<scratch>/prefix` from the unpacked tree; for
# each of the two, builds tests/dist/app.c with `pkg-config --cflags --libs userhash`
# (shared, run through an rpath) and `pkg-config --cflags --libs userhash-static` (static:
# no libuserhash.so needed), runs both, and checks the hash against Python's hmac (the
# stdlib, not userhash), the version, the SONAME and that the static binary needs no
# libuserhash.so. Cleans up on exit.
set -euo pipefail
tarball=$1 version=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  echo "test-dist-c: cargo/rustc are on PATH; run with PATH=\$(NO_CARGO_PATH)" >&2
  exit 1
fi
name=userhash-$version-linux-x86_64
secret='s3cr3t-dist' email='Alice.Liddell@Example.COM'
want=$(python3 -c 'import hmac, hashlib, sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].lower().encode(), hashlib.sha256).hexdigest())' "$secret" "$email")

tar -xzf "$tarball" -C "$scratch"
test -d "$scratch/$name" || { echo "test-dist-c: $tarball does not hold $name/" >&2; exit 1; }
for f in include/userhash.h lib/libuserhash.a lib/libuserhash.so lib/pkgconfig/userhash.pc lib/pkgconfig/userhash-static.pc LICENSE-MIT LICENSE-APACHE; do
  test -f "$scratch/$name/$f" || { echo "test-dist-c: $name/$f missing" >&2; exit 1; }
done
soname=$(readelf -d "$scratch/$name/lib/libuserhash.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libuserhash.so ] || { echo "test-dist-c: SONAME '$soname', want libuserhash.so" >&2; exit 1; }
make -s -C "$root" install PREFIX="$scratch/prefix" C_INSTALL_FROM="$scratch/$name" >/dev/null

check() { # check LABEL PKG_CONFIG_DIR
  local label=$1 pcdir=$2 out
  mkdir -p "$scratch/build" && cp "$here/app.c" "$scratch/build/app.c"
  export PKG_CONFIG_PATH=$pcdir
  [ "$(pkg-config --modversion userhash)" = "$version" ] || { echo "test-dist-c: $label: pkg-config version" >&2; exit 1; }
  local libdir; libdir=$(pkg-config --variable=libdir userhash)
  (cd "$scratch/build" && cc -std=c11 -Wall -Werror app.c $(pkg-config --cflags --libs userhash) -Wl,-rpath,"$libdir" -o app-shared \
    && cc -std=c11 -Wall -Werror app.c $(pkg-config --cflags --libs userhash-static) -o app-static)
  readelf -d "$scratch/build/app-shared" | grep -q 'NEEDED.*\[libuserhash.so\]' || { echo "test-dist-c: $label: app-shared does not load libuserhash.so" >&2; exit 1; }
  if readelf -d "$scratch/build/app-static" | grep -q 'NEEDED.*libuserhash'; then echo "test-dist-c: $label: app-static needs libuserhash.so" >&2; exit 1; fi
  for app in app-shared app-static; do
    out=$("$scratch/build/$app" "$secret" "$email")
    [ "$out" = "$(printf '%s\n%s\n%s' "$version" "$want" true)" ] || { echo "test-dist-c: $label $app printed '$out', want $version / $want / true" >&2; exit 1; }
  done
  echo "-- test-dist-c: $label: shared and static builds sign as Python's hmac ($want)"
  rm -rf "$scratch/build"
}
check "unpacked tarball" "$scratch/$name/lib/pkgconfig"
[ "$(PKG_CONFIG_PATH=$scratch/prefix/lib/pkgconfig pkg-config --variable=prefix userhash)" = "$scratch/prefix" ] || { echo "test-dist-c: installed userhash.pc has the wrong prefix" >&2; exit 1; }
check "make install PREFIX=…" "$scratch/prefix/lib/pkgconfig"
