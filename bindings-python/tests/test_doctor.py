"""Signer.diagnose (docs/doctor.md) against the real wrong code: each mismatching hash is
made with Python's own stdlib (hmac, hashlib, json, base64, str methods, a secret read
back from a file), never by userhash; the doctor must name the variant docs/doctor.md
gives that mistake. Plus the shared corpus tests/doctor/cases.json, made by every
language's real code."""

import base64
import dataclasses
import hashlib
import hmac
import json
import pathlib
import secrets

import pytest

import userhash
from userhash import Diagnosis, Signer

SECRET = "s3cr3t-doctor"
CORPUS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "doctor" / "cases.json"


def mac(message, key=SECRET):
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def digest(message, key=SECRET):
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()


def secret_from_file(tmp_path, text):
    """The secret as `open(path).read()` returns it from a file `echo` (or Notepad) wrote."""
    path = tmp_path / "secret.txt"
    path.write_bytes(text.encode())
    with open(path, newline="") as f:
        return f.read()


VISITOR = {"name": "Zoë", "email": "zoe@example.com", "data": {"plan": "pro", "seats": 3.0, "b": 1}}


def payload(visitor=VISITOR):
    """What FluentBot signs the fields of: name, email, data (docs/canonicalization.md)."""
    return {"name": visitor["name"], "email": visitor["email"], "data": visitor.get("data")}


# (documented variant, preset, signer kwargs, sign-call fields, the wrong hash made by Python)
def cases(tmp_path):
    email = "Alice@Example.COM"
    return [
        # Which field
        ("signed_email", "intercom", {}, {"user_id": "u_42", "email": "ann@example.com"}, mac("ann@example.com")),
        # Normalizations (Python's str methods where the vendor's JS rule differs)
        ("as_is", "ensoras", {}, {"email": email}, mac(email)),
        ("js_lowercase", "layerup", {}, {"email": email}, mac(email.lower())),
        ("python_casefold", "ensoras", {}, {"email": "Straße@Example.de"}, mac("Straße@Example.de".casefold())),
        ("python_strip", "layerup", {}, {"email": "\x1cann@example.com\x85"}, mac("\x1cann@example.com\x85".strip())),
        ("python_strip_lower", "supportwire", {}, {"email": " \x85Alice@X.com "}, mac(" \x85Alice@X.com ".strip().lower())),
        # Ids
        ("id_float", "inviaro", {}, {"user_id": 123}, mac(str(float(123)))),
        ("id_leading_zeros", "inviaro", {}, {"user_id": "00123"}, mac(str(int("00123")))),
        ("id_json_quoted", "inviaro", {}, {"user_id": "123"}, mac(json.dumps("123"))),
        # JSON payloads
        ("python_json_dumps", "fluentbot", {}, {"visitor": VISITOR}, mac(json.dumps(payload()))),
        ("python_json_dumps_compact", "fluentbot", {}, {"visitor": VISITOR},
         mac(json.dumps(payload(), separators=(",", ":")))),
        ("python_json_dumps_sort_keys", "fluentbot", {}, {"visitor": VISITOR}, mac(json.dumps(payload(), sort_keys=True))),
        ("pretty_json", "fluentbot", {}, {"visitor": {"name": "Ann", "data": {"plan": "pro"}}},
         mac(json.dumps({"name": "Ann", "data": {"plan": "pro"}}, indent=2))),
        ("whole_visitor", "fluentbot", {}, {"visitor": {"name": "Ann", "email": "a@b.c", "data": None, "id": 7}},
         mac(json.dumps({"name": "Ann", "email": "a@b.c", "data": None, "id": 7}, separators=(",", ":")))),
        # Secrets
        ("previous_secret", "layerup", {"previous": ["old-secret"]}, {"email": "a@b.c"}, mac("a@b.c", "old-secret")),
        ("secret_trailing_newline", "layerup", {}, {"email": "a@b.c"},
         mac("a@b.c", secret_from_file(tmp_path, SECRET + "\n"))),
        ("secret_trailing_crlf", "layerup", {}, {"email": "a@b.c"},
         mac("a@b.c", secret_from_file(tmp_path, SECRET + "\r\n"))),
        ("secret_whitespace", "layerup", {"secret": "  spaced-secret "}, {"email": "a@b.c"},
         mac("a@b.c", "  spaced-secret ".strip())),
        ("secret_quoted", "layerup", {}, {"email": "a@b.c"},
         mac("a@b.c", f'SECRET="{SECRET}"'.split("=", 1)[1])),  # a .env line split by hand
        ("secret_unquoted", "layerup", {"secret": '"quoted-secret"'}, {"email": "a@b.c"},
         mac("a@b.c", '"quoted-secret"'.strip('"'))),
        ("secret_hex_decoded", "layerup", {"secret": "a1b2c3d4e5f60718"}, {"email": "a@b.c"},
         mac("a@b.c", bytes.fromhex("a1b2c3d4e5f60718"))),
        ("secret_base64_decoded", "layerup", {"secret": "c2VjcmV0LWJ5dGVzIQ=="}, {"email": "a@b.c"},
         mac("a@b.c", base64.b64decode("c2VjcmV0LWJ5dGVzIQ=="))),
        # Output
        ("uppercase_hex", "ensoras", {}, {"email": email}, mac(email.lower()).upper()),
        ("base64", "ensoras", {}, {"email": email}, base64.b64encode(digest(email.lower())).decode()),
        ("key_message_swapped", "layerup", {}, {"email": "a@b.c"},
         hmac.new(b"a@b.c", SECRET.encode(), hashlib.sha256).hexdigest()),
        ("sha256_concat", "layerup", {}, {"email": "a@b.c"}, hashlib.sha256((SECRET + "a@b.c").encode()).hexdigest()),
        ("sha256_concat_reversed", "layerup", {}, {"email": "a@b.c"},
         hashlib.sha256(("a@b.c" + SECRET).encode()).hexdigest()),
        # Two mistakes at once: a newline-terminated secret file and .upper().
        ("secret_trailing_newline+uppercase_hex", "layerup", {}, {"email": "a@b.c"},
         mac("a@b.c", secret_from_file(tmp_path, SECRET + "\n")).upper()),
    ]


def signer(preset, kwargs):
    kwargs = dict(kwargs)
    return Signer(kwargs.pop("secret", SECRET), preset, **kwargs)


def test_every_python_mistake_is_named(tmp_path):
    failures = []
    for variant, preset, kwargs, fields, wrong in cases(tmp_path):
        s = signer(preset, kwargs)
        # The wrong code really is wrong (under the current secret: verify accepts previous ones).
        assert not signer(preset, {**kwargs, "previous": None}).verify(wrong, fields), variant
        d = s.diagnose(wrong, fields)
        if not (d.matched and d.variant == variant):
            failures.append(f"{variant}: got {d.variant!r} ({d.explanation})")
        assert isinstance(d, Diagnosis)
    assert not failures, "\n".join(failures)


def test_every_documented_variant_is_covered_here_or_by_another_language(tmp_path):
    # docs/doctor.md's ids; those only another language's stdlib makes are the other suites'.
    text = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "doctor.md").read_text()
    documented = {v for row in text.splitlines() if row.startswith("| `") for v in row.split("|")[1].replace("`", "").replace(",", " ").split()}
    other_languages = {"signed_user_id", "signed_external_id", "js_trim_lowercase", "js_trim", "ascii_lowercase",
                       "ruby_downcase", "go_to_lower", "turkish_lowercase", "php_trim", "php_trim_strtolower",
                       "php_trim_mb_strtolower", "ruby_strip", "ruby_strip_downcase", "go_trim_space",
                       "go_trim_space_to_lower", "php_json_encode", "go_encoding_json", "ruby_to_json"}
    here = {c[0] for c in cases(tmp_path)}
    assert documented - other_languages <= here, documented - other_languages - here


def test_the_diagnosis_of_a_python_mistake():
    s = Signer(SECRET, "supportwire")
    d = s.diagnose(mac(" \x85Alice@X.com ".strip().lower()), email=" \x85Alice@X.com ")
    assert dataclasses.is_dataclass(d) and isinstance(d, userhash.Diagnosis)
    assert (d.matched, d.variant) == (True, "python_strip_lower")
    assert "strip" in d.explanation and "Python" in d.explanation
    # What supportwire's JS trim().toLowerCase() signs (U+0085 is not JS whitespace), what was signed.
    assert d.expected_canonical == " \x85Alice@X.com ".strip(" ").lower()
    assert d.signed_canonical == "alice@x.com"
    assert d.first_difference == 0 and d.expected_error is None
    assert d.mistakes == [{"id": "python_strip_lower", "explanation": d.explanation}]
    assert d.tried >= 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.matched = False  # type: ignore[misc]


def test_correct_and_random_hashes():
    s = Signer(SECRET, "ensoras")
    good = s.diagnose(mac("alice@example.com"), email="Alice@Example.COM")
    assert (good.matched, good.variant, good.mistakes) == (True, "correct", [])
    for _ in range(3):
        d = s.diagnose(secrets.token_hex(32), {"email": "Alice@Example.COM"})
        assert (d.matched, d.variant, d.signed_canonical, d.first_difference) == (False, "none", None, None)
        assert "another secret" in d.explanation
        assert d.expected_canonical == "alice@example.com"


def test_bad_input_is_the_core_error():
    s = Signer(SECRET, "ensoras")
    with pytest.raises(userhash.InvalidInputError):
        s.diagnose("00", {"mail": "a@b.c"})
    with pytest.raises(userhash.InvalidInputError, match="hash"):
        s.diagnose(None, email="a@b.c")  # type: ignore[arg-type]
    # An input the preset cannot sign is a diagnosis, with the reason.
    d = s.diagnose(mac(""), email="")
    assert d.expected_canonical is None and d.expected_error


def test_the_secret_is_never_in_a_diagnosis(tmp_path):
    for variant, preset, kwargs, fields, wrong in cases(tmp_path):
        key = kwargs.get("secret", SECRET)
        s = signer(preset, kwargs)
        for hash_ in (wrong, secrets.token_hex(32)):
            d = s.diagnose(hash_, fields)
            shown = repr(d) + str(d) + json.dumps(dataclasses.asdict(d))
            for secret in {key, key.strip(), key.strip('"'), SECRET, "old-secret"}:
                assert secret not in shown, variant


def corpus_cases():
    if not CORPUS.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPUS} does not exist yet (the doctor corpus)"))]
    return [pytest.param(c, id=c["id"]) for c in json.loads(CORPUS.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", corpus_cases())
def test_shared_corpus(case):
    s = Signer(case["secret"], case["preset"], previous=case.get("previous"), options=case.get("signer_options"))
    d = s.diagnose(case["hash"], case["input"])
    assert (d.matched, d.variant) == (True, case["variant"]), f"{case['made_by']}: {d.explanation}"
    assert case["secret"] not in repr(d)
