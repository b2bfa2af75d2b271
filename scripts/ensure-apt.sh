#!/usr/bin/env bash
# ensure-apt.sh PKG...: install the Debian packages that are missing.
# Idempotent; runs `apt-get update` at most once per machine boot. As non-root,
# prints the exact command instead and fails.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
# Another apt/dpkg may hold the lock (parallel make, unattended upgrades): wait for it.
apt() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }
stamp=/tmp/.userhash-apt-updated
if [ ! -f "$stamp" ]; then
  apt update -qq
  touch "$stamp"
fi
echo "installing: ${missing[*]}"
apt install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
