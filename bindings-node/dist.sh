#!/usr/bin/env bash
# The npm release of the Node binding (make dist-node), in the napi-rs layout:
#
#   dist/npm/userhash-<v>.tgz                     the API, its typings and the generated
#                                                 loader (index.js), no addon; it names
#                                                 the platform package as an exact-version
#                                                 optionalDependency
#   dist/npm/userhash-linux-x64-gnu-<v>.tgz       the addon for x86_64 Linux, glibc >= 2.17
#                                                 (os/cpu/libc fields: npm installs it only there)
#
# Both carry the repository's LICENSE-MIT and LICENSE-APACHE (copied into the stage; npm
# packs only LICENSE / LICENSE.*, so package.json "files" names them).
#
# The loader (index.js) loads ./userhash.linux-x64-gnu.node when it is beside it (a
# checkout), else require('userhash-linux-x64-gnu').
#
#   bindings-node/dist.sh OUT_DIR ADDON.so
set -euo pipefail

out=$(realpath "$1")
addon=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out" "$stage/userhash" "$stage/platform"

cp "$here"/{userhash.js,userhash.d.ts,express.js,express.d.ts,index.js,index.d.ts,README.md} "$stage/userhash/"
cp "$addon" "$stage/platform/userhash.linux-x64-gnu.node"
for p in userhash platform; do cp "$here"/../LICENSE-MIT "$here"/../LICENSE-APACHE "$stage/$p/"; done
node - "$here/package.json" "$stage" <<'EOF'
const fs = require('node:fs')
const [src, stage] = process.argv.slice(2)
const pkg = JSON.parse(fs.readFileSync(src, 'utf8'))
const platform = `${pkg.name}-linux-x64-gnu`
const common = { version: pkg.version, license: pkg.license, engines: pkg.engines }
const { devDependencies, scripts, napi, ...main } = pkg
main.files = main.files.filter((f) => !f.endsWith('.node'))
main.optionalDependencies = { [platform]: pkg.version }
fs.writeFileSync(`${stage}/userhash/package.json`, JSON.stringify(main, null, 2) + '\n')
const native = {
  name: platform,
  ...common,
  description: `The native addon of ${pkg.name} for x86_64 Linux with glibc >= 2.17 (installed by ${pkg.name}).`,
  main: 'userhash.linux-x64-gnu.node',
  files: ['userhash.linux-x64-gnu.node', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'],
  os: ['linux'],
  cpu: ['x64'],
  libc: ['glibc']
}
fs.writeFileSync(`${stage}/platform/package.json`, JSON.stringify(native, null, 2) + '\n')
fs.writeFileSync(`${stage}/platform/README.md`, `# ${platform}\n\n${native.description} Install \`${pkg.name}\`, not this package.\n`)
EOF
for p in userhash platform; do
    (cd "$stage/$p" && npm pack --silent --pack-destination "$out" > /dev/null)
done
ls -l "$out"
