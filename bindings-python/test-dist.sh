#!/usr/bin/env bash
# The install test of dist/python (make test-dist-python): a fresh venv in a scratch
# directory outside the repository, `pip install --no-index --find-links DIST userhash`,
# then the package is used as a user would: sign (checked against the stdlib's HMAC),
# a token (checked by hand: header, claims, HMAC), the Django helper and its tag; the
# installed wheel and the sdist must carry LICENSE-MIT and LICENSE-APACHE.
# Runs with cargo and rustc off PATH: pip must take the wheel, never build the sdist.
#
#   bindings-python/test-dist.sh DIST_DIR
set -euo pipefail

dist=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
django=$(grep -i '^django==' "$here/requirements-dev.txt")
if command -v cargo > /dev/null || command -v rustc > /dev/null; then
    echo "test-dist-python: cargo/rustc must not be on PATH" >&2
    exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
python3 -m venv venv
venv/bin/pip install -q --disable-pip-version-check "$django"
venv/bin/pip install -q --disable-pip-version-check --no-index --find-links "$dist" --only-binary userhash userhash
venv/bin/python - "$scratch" "$dist" <<'EOF'
import base64, hashlib, hmac, json, pathlib, sys

import userhash

where = pathlib.Path(userhash.__file__).resolve()
assert str(where).startswith(sys.argv[1]), f"imported {where}, not the installed wheel"
signer = userhash.Signer("s3cr3t", "ensoras")
want = hmac.new(b"s3cr3t", "Alice@Example.COM".lower().encode(), hashlib.sha256).hexdigest()
assert signer.sign(email="Alice@Example.COM") == want and signer.verify(want, email="Alice@Example.COM")
assert "probe" not in " ".join(userhash.PRESETS), "a test-only preset in the release wheel"

token = userhash.Signer("s3cr3t", "drift").token(user_id=42, now=1700000000, ttl=60)
head, body, mac = token.split(".")
unb64 = lambda part: base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
assert json.loads(unb64(head)) == {"alg": "HS256", "typ": "JWT"}
assert json.loads(unb64(body)) == {"sub": "42", "iat": 1700000000, "exp": 1700000060}
assert unb64(mac) == hmac.new(b"s3cr3t", f"{head}.{body}".encode(), hashlib.sha256).digest()

import importlib.metadata, tarfile

# Both license texts: in the installed wheel (named by its METADATA) and at the sdist's root.
dist = importlib.metadata.distribution("userhash")
names = {p.name for p in dist.files if p.parent.name == "licenses"}
assert names >= {"LICENSE-MIT", "LICENSE-APACHE"}, f"installed wheel's licenses: {sorted(names)}"
assert all(dist.locate_file(p).read_text().strip() for p in dist.files if p.name in names)
assert {"LICENSE-MIT", "LICENSE-APACHE"} <= set(dist.metadata.get_all("License-File") or [])
(sdist,) = pathlib.Path(sys.argv[2]).glob("userhash-*.tar.gz")
with tarfile.open(sdist) as t:
    root = t.getnames()[0].split("/")[0]
    missing = {f"{root}/LICENSE-MIT", f"{root}/LICENSE-APACHE"} - set(t.getnames())
assert not missing, f"{sdist.name} lacks {sorted(missing)}"

import django
from django.conf import settings

settings.configure(USERHASH={"ensoras": {"secret": "s3cr3t"}}, INSTALLED_APPS=["userhash.django"],
                   TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
django.setup()
import userhash.django
from django.template import engines

assert userhash.django.sign("ensoras", email="Alice@Example.COM") == want
html = engines["django"].from_string('{% load userhash %}{% userhash_sign "ensoras" email=e %}')
assert html.render({"e": "Alice@Example.COM"}) == want
print(f"test-dist-python: userhash {userhash.__version__} from {where.parent.parent.name}: sign, token, Django, license files ok")
EOF
