"""Signer.embed (docs/embed.md): the vendor's snippet with the identity signed and each
value escaped for its context. Hashes are checked against Python's stdlib HMAC; the
rendering itself is the core's (checked in a real browser by tests/browser)."""

import hashlib
import hmac
import json
import os
import subprocess
from pathlib import Path

import pytest

from userhash import EmptyIdentityError, InvalidInputError, Signer, TooDeepError

SECRET = "s3cr3t"
CLI = Path(__file__).resolve().parents[2] / "target" / "release" / "userhash"


def mac(canonical):
    return hmac.new(SECRET.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def test_ensoras_script_and_identify():
    s = Signer(SECRET, "ensoras")
    html = s.embed({"email": "</script>@x.com"}, widget="acme")
    h = mac("</script>@x.com")
    assert f'Ensoras(\'identify\', {{"email":"\\u003c/script\\u003e@x.com","hash":"{h}"}});' in html
    assert html.endswith('<script src="https://app.ensoras.com/cdn/v1/widget/acme.js" async defer></script>')
    assert "</script>@" not in html
    assert s.embed({"email": "A@B.C"}, {"widget": "w", "form": "identify"}) == (
        f'Ensoras(\'identify\', {{"email":"A@B.C","hash":"{mac("a@b.c")}"}});'
    )


def test_layerup_url_and_nonce():
    s = Signer(SECRET, "layerup")
    url = s.embed({"email": "a+b@x.com"}, widget="w 1", form="url")
    assert url == f"https://us.uselayerup.com/widget/w%201?ue=a%2Bb%40x.com&uh={mac('a+b@x.com')}"
    html = s.embed({"email": 'a"b@x.com'}, widget="wk", nonce="n0nce")
    assert 'nonce="n0nce"' in html and 'data-user-email="a&quot;b@x.com"' in html


def test_inviaro_supportwire_fluentbot():
    html = Signer(SECRET, "inviaro").embed({"userId": 42}, widget="wt_1", name="Ann", email="ann@x.com")
    assert f'"userId":"42","userHash":"{mac("42")}","userEmail":"ann@x.com","userName":"Ann"' in html
    html = Signer(SECRET, "supportwire").embed(
        {"external_id": " ID-9 ", "email": "x@y.z"}, widget="sw", data={"plan": "Pro", "__proto__": 1}
    )
    assert '"userExternalUserId":" ID-9 "' in html and f'"userSignature":"{mac("id-9")}"' in html
    assert '["__proto__"]:1' in html
    visitor = {"email": "a@b.c", "name": "Ann", "extra": "not sent", "data": {"b": 1, "2": [1.0, None]}}
    s = Signer(SECRET, "fluentbot")
    html = s.embed({"visitor": visitor}, widget="BOT")
    payload = s.canonical(visitor=visitor)
    assert payload == '{"name":"Ann","email":"a@b.c","data":{"2":[1,null],"b":1}}'
    assert f'"visitor":{payload[:-1]},"signature":"{mac(payload)}"}}' in html
    assert "not sent" not in html


def test_options_dict_and_keywords_merge():
    s = Signer(SECRET, "ensoras")
    a = s.embed({"email": "a@b.c"}, {"widget": "w"}, form="identify")
    b = s.embed({"email": "a@b.c"}, widget="w", form="identify")
    c = s.embed({"email": "a@b.c"}, {"widget": "w", "form": "identify", "nonce": None})
    assert a == b == c
    with pytest.raises(InvalidInputError, match="given twice"):
        s.embed({"email": "a@b.c"}, {"widget": "w"}, widget="x")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s: s.embed({"email": "a@b.c"}), InvalidInputError, "widget is required"),
        (lambda s: s.embed({"email": "a@b.c"}, widget=""), InvalidInputError, "widget is empty"),
        (lambda s: s.embed({"email": "a@b.c"}, widget="w", color="red"), InvalidInputError, "unknown embed option"),
        (lambda s: s.embed({"email": "a@b.c"}, widget=1), InvalidInputError, "must be a string"),
        (lambda s: s.embed({"email": "a@b.c"}, widget="w", form="url"), InvalidInputError, "not available"),
        (lambda s: s.embed({"email": "a@b.c"}, {1: "w"}), InvalidInputError, "options: object keys must be strings"),
        (lambda s: s.embed({"email": ""}, widget="w"), EmptyIdentityError, "empty"),
        (lambda s: s.embed({"mail": "a@b.c"}, widget="w"), InvalidInputError, "mail"),
        (lambda s: s.embed({}, widget="w"), InvalidInputError, "missing field email"),
        (lambda s: s.embed({"email": "a\ud800"}, widget="w"), InvalidInputError, "surrogate"),
        (lambda s: s.embed("a@b.c", widget="w"), TypeError, "input must be a dict"),
        (lambda s: s.embed({"email": "a@b.c"}, ["widget"]), InvalidInputError, "options must be an object, got array"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(Signer(SECRET, "ensoras"))


def test_custom_scheme_and_deep_input():
    for spec in ("email:trim_lowercase", "email:lowercase"):
        with pytest.raises(InvalidInputError, match="embed needs a vendor preset"):
            Signer(SECRET, spec).embed({"email": "a@b.c"}, widget="w")
    deep = 1
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(TooDeepError):
        Signer(SECRET, "fluentbot").embed({"visitor": {"data": deep}}, widget="B")
    with pytest.raises(TooDeepError):
        Signer(SECRET, "supportwire").embed({"email": "a@b"}, widget="B", data={"x": deep})


def test_large_input_releases_the_gil_and_matches():
    s = Signer(SECRET, "fluentbot")
    visitor = {"name": "A" * 10_000, "data": {f"k{i}": "v" * 50 for i in range(200)}}
    html = s.embed({"visitor": visitor}, widget="BOT")
    assert mac(s.canonical(visitor=visitor)) in html


@pytest.mark.skipif(not CLI.exists(), reason="the CLI is not built (make cli)")
def test_same_bytes_as_the_cli():
    cases = [
        ("layerup", ["--email", "</script>\"'@x.com"], {"email": "</script>\"'@x.com"}, {"widget": "wk"}),
        ("inviaro", ["--user-id", "usr_42"], {"user_id": "usr_42"}, {"widget": "wt", "name": "Ann"}),
        ("ensoras", ["--email", "Ann@X.com\u2028"], {"email": "Ann@X.com\u2028"}, {"widget": "acme", "form": "identify"}),
    ]
    for preset, args, fields, options in cases:
        argv = [str(CLI), "embed", "--preset", preset, "--widget", options["widget"], *args]
        extra = {k: v for k, v in options.items() if k != "widget"}
        if "form" in extra:
            argv += ["--form", extra.pop("form")]
        if extra:
            argv += ["--options-json", json.dumps(extra)]
        out = subprocess.run(
            argv, env=dict(os.environ, USERHASH_SECRET=SECRET), capture_output=True, check=True, text=True
        ).stdout
        assert out.rstrip("\n") == Signer(SECRET, preset).embed(fields, options), preset
