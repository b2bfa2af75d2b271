#!/usr/bin/env bash
# make test-dist-php: install dist/composer's zip as a user would, outside the repository and
# with cargo/rustc off PATH, then sign with it twice, each time checked against PHP's own
# hash_hmac:
#   1. Debian's composer installs userhash/userhash from an `artifact` repository (packagist
#      disabled) into a mktemp -d project; a CLI script signs through vendor/autoload.php with
#      the bundled lib/linux-x86_64/libuserhash.so (the installed package must also hold
#      LICENSE-MIT and LICENSE-APACHE);
#   2. a php-fpm started here (Debian's php8.2-fpm with its php.ini: ffi.enable stays
#      "preload", so FFI::cdef is refused; opcache.preload = the package's preload.php) on
#      127.0.0.1:<free port> serves a page over FastCGI (cgi-fcgi) that signs through the
#      preloaded FFI scope; once as nobody, once as root (see below). Servers are stopped on
#      exit (trap).
# Usage: install.sh ARTIFACT_DIR VERSION
set -euo pipefail
artifacts=$1 version=$2
fail() { echo "test-dist-php: $*" >&2; exit 1; }
if command -v cargo >/dev/null || command -v rustc >/dev/null; then fail "cargo/rustc must not be on PATH"; fi
fpm=$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)

scratch=$(mktemp -d)
fpm_pid=
cleanup() {
  if [ -n "$fpm_pid" ]; then kill "$fpm_pid" 2>/dev/null || true; wait "$fpm_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
cd "$scratch"
unset USERHASH_LIB

secret='dist-test-secret-7f3a'
email='Ann.Lee+dist@Example.COM'
cat > composer.json <<JSON
{
    "name": "userhash-test/install",
    "type": "project",
    "repositories": [{"type": "artifact", "url": "$artifacts"}, {"packagist.org": false}],
    "require": {"userhash/userhash": "$version"}
}
JSON
export COMPOSER_HOME="$scratch/.composer" COMPOSER_CACHE_DIR="$scratch/.composer-cache" COMPOSER_ALLOW_SUPERUSER=1
composer install --no-interaction --no-progress --quiet
[ -f vendor/userhash/userhash/lib/linux-x86_64/libuserhash.so ] || fail "the package has no bundled lib/linux-x86_64/libuserhash.so"
for f in LICENSE-MIT LICENSE-APACHE; do [ -s "vendor/userhash/userhash/$f" ] || fail "the installed package has no $f"; done

# Both checks sign the same way: ensoras signs the lowercased email, inviaro the id as given.
cat > sign.php <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
[$secret, $email] = [getenv('T_SECRET'), getenv('T_EMAIL')];
$inviaro = new Userhash\Signer($secret, 'inviaro', ['older-secret']);
$got = [(new Userhash\Signer($secret, 'ensoras'))->sign(['email' => $email]), $inviaro->sign(['user_id' => 'usr_42']), $inviaro->verify(hash_hmac('sha256', 'usr_42', 'older-secret'), ['user_id' => 'usr_42'])];
$want = [hash_hmac('sha256', strtolower($email), $secret), hash_hmac('sha256', 'usr_42', $secret), true];
try {
    FFI::cdef('int abs(int);');
    $cdef = 'allowed';
} catch (Throwable) {
    $cdef = 'refused';
}
echo json_encode(['sapi' => PHP_SAPI, 'lib' => Userhash\Library::path(), 'cdef' => $cdef, 'ok' => $got === $want, 'got' => $got, 'want' => $want]), "\n";
PHP
export T_SECRET="$secret" T_EMAIL="$email"

cli=$(php sign.php)
echo "composer install + vendor/autoload.php: $cli"
python3 - "$cli" "$scratch" <<'PY' || fail "CLI check failed"
import json, sys
r = json.loads(sys.argv[1])
assert r["ok"], r
assert r["lib"] == sys.argv[2] + "/vendor/userhash/userhash/lib/linux-x86_64/libuserhash.so", r["lib"]
PY

# php-fpm, twice: started as an unprivileged user (opcache.preload loads the library), and as
# root the way Debian runs it (workers as nobody; opcache.preload needs opcache.preload_user,
# with which PHP refuses FFI::load, so the library comes from ffi.preload and
# bin/ffi-header.php's header, and preload.php preloads the classes).
chmod 755 "$scratch"
mkdir fpm && chown nobody: fpm
php vendor/userhash/userhash/bin/ffi-header.php > fpm/userhash.h
serve() { # serve NAME COMMAND...: start php-fpm with COMMAND, request the page, check it, stop it
  local name=$1 port page body
  shift
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > fpm/php-fpm.conf <<CONF
[global]
error_log = $scratch/fpm/error.log
daemonize = no
[www]
user = nobody
group = nogroup
listen = 127.0.0.1:$port
pm = static
pm.max_children = 1
clear_env = no
catch_workers_output = yes
CONF
  : > fpm/error.log && chown nobody: fpm/error.log
  "$@" --nodaemonize --fpm-config fpm/php-fpm.conf -d opcache.enable=1 \
    -d "opcache.preload=$scratch/vendor/userhash/userhash/preload.php" &
  fpm_pid=$!
  page=
  for _ in $(seq 50); do
    kill -0 "$fpm_pid" 2>/dev/null || { cat fpm/error.log >&2; fail "$name: php-fpm exited"; }
    page=$(SCRIPT_FILENAME="$scratch/sign.php" SCRIPT_NAME=/sign.php REQUEST_METHOD=GET QUERY_STRING= \
      cgi-fcgi -bind -connect "127.0.0.1:$port" 2>/dev/null) && [ -n "$page" ] && break
    sleep 0.2
  done
  [ -n "$page" ] || { cat fpm/error.log >&2; fail "$name: php-fpm did not answer on 127.0.0.1:$port"; }
  body=$(printf '%s\n' "$page" | tail -n 1)
  echo "$name, page over FastCGI: $body"
  python3 - "$body" <<'PY' || { cat fpm/error.log >&2; fail "$name: check failed"; }
import json, sys
r = json.loads(sys.argv[1])
assert r["sapi"] == "fpm-fcgi", r
assert r["cdef"] == "refused", "ffi.enable should be Debian's default, preload: %r" % r
assert r["ok"], r
PY
  kill "$fpm_pid" && wait "$fpm_pid" || true
  fpm_pid=
}
serve "php-fpm as nobody, opcache.preload" setpriv --reuid=nobody --regid=nogroup --clear-groups "$fpm"
serve "php-fpm as root, ffi.preload + opcache.preload" "$fpm" --allow-to-run-as-root \
  -d "ffi.preload=$scratch/fpm/userhash.h" -d opcache.preload_user=nobody
echo "test-dist-php: ok (composer artifact install; CLI; php-fpm with opcache.preload, as nobody and as root)"
