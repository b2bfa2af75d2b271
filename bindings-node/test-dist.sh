#!/usr/bin/env bash
# The install test of dist/npm (make test-dist-node), as a user would install it: a
# verdaccio registry started here on 127.0.0.1 (storage in a scratch directory, other
# packages proxied from the npm registry), both tarballs `npm publish`ed to it by a
# throwaway user, then a scratch Express app outside the repository runs `npm install
# userhash express` against it: npm must pick the platform package by its os/cpu/libc
# fields. The app signs through `require`, ESM `import` and userhash/express, each hash
# checked against node:crypto; both installed packages must carry LICENSE-MIT and
# LICENSE-APACHE. Runs with cargo and rustc off PATH.
#
#   bindings-node/test-dist.sh DIST_NPM_DIR VERDACCIO_BIN
set -euo pipefail

dist=$(realpath "$1")
verdaccio=$(realpath "$2")
if command -v cargo > /dev/null || command -v rustc > /dev/null; then
    echo "test-dist-node: cargo/rustc must not be on PATH" >&2
    exit 1
fi
upstream=$(npm config get registry)
scratch=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
free_port() { node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"; }

port=$(free_port)
registry="http://127.0.0.1:$port/"
mkdir -p "$scratch/registry" "$scratch/app" "$scratch/home"
cat > "$scratch/registry/config.yaml" <<EOF
storage: $scratch/registry/storage
auth:
  htpasswd:
    file: $scratch/registry/htpasswd
    max_users: 1
uplinks:
  npmjs:
    url: $upstream
packages:
  'userhash':
    access: \$all
    publish: \$authenticated
  'userhash-*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    proxy: npmjs
log: { type: stdout, format: pretty, level: warn }
EOF
"$verdaccio" --config "$scratch/registry/config.yaml" --listen "127.0.0.1:$port" > "$scratch/registry/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    curl -fsS "${registry}-/ping" > /dev/null 2>&1 && break
    kill -0 "$pid" 2> /dev/null || { cat "$scratch/registry/log"; exit 1; }
    sleep 0.2
done

# A throwaway user (the registry's adduser API), its token in the scratch npmrc only.
token=$(curl -fsS -X PUT -H 'content-type: application/json' \
    -d '{"name":"dist-test","password":"dist-test-password"}' \
    "${registry}-/user/org.couchdb.user:dist-test" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).token))')
export npm_config_userconfig="$scratch/home/.npmrc" npm_config_cache="$scratch/home/cache"
printf 'registry=%s\nupdate-notifier=false\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token" > "$npm_config_userconfig"
npm="npm --no-audit --no-fund --loglevel=error"
# The platform package first: the main one names it.
$npm publish "$dist"/userhash-linux-x64-gnu-*.tgz > /dev/null
$npm publish "$(ls "$dist"/userhash-[0-9]*.tgz)" > /dev/null

cd "$scratch/app"
echo '{"name": "dist-check-app", "private": true}' > package.json
$npm install userhash express > /dev/null
test -f node_modules/userhash-linux-x64-gnu/userhash.linux-x64-gnu.node
for p in userhash userhash-linux-x64-gnu; do
    for f in LICENSE-MIT LICENSE-APACHE; do
        test -s "node_modules/$p/$f" || { echo "test-dist-node: the installed $p has no $f" >&2; exit 1; }
    done
done
! ls node_modules/userhash/*.node 2> /dev/null
grep -q "\"resolved\": \"${registry}userhash-linux-x64-gnu/" package-lock.json

cat > app.js <<'EOF'
// A small Express app: userhash/express signs the logged-in user for the page.
const assert = require('node:assert')
const crypto = require('node:crypto')
const express = require('express')
const { Signer, PRESETS } = require('userhash')
const { userhash } = require('userhash/express')

const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg).digest('hex')
const want = hmac('s3cr3t', 'alice@example.com')
assert.equal(new Signer('s3cr3t', 'ensoras').sign({ email: 'Alice@Example.COM' }), want)
assert.ok(!PRESETS.some((p) => p.includes('probe')), 'a test-only preset in the release addon')
const addon = require.resolve('userhash-linux-x64-gnu')
assert.ok(addon.startsWith(process.cwd()), addon)

const app = express()
app.use((req, res, next) => { req.user = { email: 'Alice@Example.COM' }; next() })
app.use(userhash({ widgets: { support: { preset: 'ensoras', secret: 's3cr3t' } } }))
app.get('/', (req, res) => res.send(`hash=${res.locals.userhash.support.hash}`))
const server = app.listen(0, '127.0.0.1', async () => {
  try {
    const body = await (await fetch(`http://127.0.0.1:${server.address().port}/`)).text()
    assert.equal(body, `hash=${want}`)
    console.log('require + express ok')
  } finally {
    server.close()
  }
})
EOF
cat > esm.mjs <<'EOF'
import assert from 'node:assert'
import crypto from 'node:crypto'
import userhash, { Signer } from 'userhash'

const want = crypto.createHmac('sha256', 's3cr3t').update('usr_42').digest('hex')
assert.equal(new Signer('s3cr3t', 'inviaro').sign({ user_id: 'usr_42' }), want)
assert.equal(new userhash.Signer('s3cr3t', 'inviaro').sign({ user_id: 'usr_42' }), want)
assert.ok(userhash.EmptyIdentityError.prototype instanceof userhash.UserhashError)
console.log('import ok')
EOF
node app.js
node esm.mjs
echo "test-dist-node: userhash and userhash-linux-x64-gnu installed from a local registry and signed"
