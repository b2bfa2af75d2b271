"""Signer.token / Signer.verify_token (docs/tokens.md): every row of tests/tokens/vectors.json
(made by Node's jsonwebtoken), byte for byte; and interop with PyJWT, Python's most used
JWT library, in both directions."""

import json
import pathlib
import time

import jwt  # PyJWT
import pytest

import userhash
from userhash import ERROR_CLASSES, Signer

VECTORS = json.loads((pathlib.Path(__file__).resolve().parents[2] / "tests" / "tokens" / "vectors.json").read_text())
ROWS = VECTORS["tokens"]
# 32 bytes or more: PyJWT warns about shorter HMAC keys.
KEY = "an-hs256-secret-of-32-bytes-or-more"


@pytest.mark.filterwarnings("ignore:The HMAC key is")  # the vectors' short secrets
@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_vector(row):
    s = Signer(row["secret"], row["preset"])
    if "verify" in row:
        if "error" in row:
            with pytest.raises(ERROR_CLASSES[row["error"]]) as e:
                s.verify_token(row["verify"], **row["verify_options"])
            assert e.value.code == row["error"]
        else:
            assert s.verify_token(row["verify"], **row["verify_options"]) == row["claims"]
        return
    if "error" in row:
        with pytest.raises(ERROR_CLASSES[row["error"]]) as e:
            s.token(row["input"], **row["options"])
        assert e.value.code == row["error"]
        return
    token = s.token(row["input"], **row["options"])
    assert token == row["token"]
    # Keywords are the same call as the dict.
    assert s.token(**row["input"], **row["options"]) == row["token"]
    # Our own check and PyJWT's agree on the claims (jsonwebtoken wrote them).
    now = row["options"]["now"]
    assert s.verify_token(token, now=now) == row["claims"]
    assert jwt.decode(token, row["secret"], algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}) \
        == row["claims"]


def test_every_vector_kind_is_present():
    kinds = {("verify" in r, "error" in r) for r in ROWS}
    assert kinds == {(False, False), (False, True), (True, False), (True, True)}


# --- ours, checked by PyJWT --------------------------------------------------------


def test_pyjwt_verifies_our_tokens():
    now = int(time.time())
    made = [
        ("intercom_jwt", {"user_id": 42, "email": "ann@example.com"}, {"ttl": 600, "claims": {"plan": "pro"}},
         {"user_id": "42", "email": "ann@example.com", "plan": "pro"}, None),
        ("zendesk", {"external_id": "e-7", "name": "Ann"}, {"kid": "app_1", "ttl": 300},
         {"scope": "user", "external_id": "e-7", "name": "Ann"}, "app_1"),
        ("drift", {"user_id": "d1"}, {}, {"sub": "d1"}, None),
        ("kustomer", {"external_id": 9}, {}, {"externalId": "9"}, None),
        ("canny_sso", {"user_id": "c1", "email": "c@x.io", "name": "Cy"}, {}, {"id": "c1", "email": "c@x.io", "name": "Cy"},
         None),
    ]
    for preset, fields, options, claims, kid in made:
        token = Signer(KEY, preset).token(fields, now=now, **options)
        header = jwt.get_unverified_header(token)
        assert header == {"alg": "HS256", "typ": "JWT", **({"kid": kid} if kid else {})}, preset
        got = jwt.decode(token, KEY, algorithms=["HS256"])
        want = {**claims, "iat": now, **({"exp": now + options["ttl"]} if "ttl" in options else {})}
        assert got == want, preset
        # The default clock is the real one.
        assert abs(jwt.decode(Signer(KEY, preset).token(fields, **options), KEY, algorithms=["HS256"])["iat"] - now) <= 5


def test_pyjwt_refuses_our_token_under_another_secret():
    token = Signer(KEY, "drift").token(user_id="u")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, KEY + "x", algorithms=["HS256"])


# --- PyJWT's, checked by us ---------------------------------------------------------


def test_we_verify_pyjwt_tokens():
    now = int(time.time())
    claims = {"sub": "u1", "iat": now, "exp": now + 60}
    assert Signer(KEY, "drift").verify_token(jwt.encode(claims, KEY, algorithm="HS256")) == claims
    zendesk = {"scope": "user", "external_id": "e", "iat": now}
    token = jwt.encode(zendesk, KEY, algorithm="HS256", headers={"kid": "app_2"})
    # kids names the current and each previous secret: the token's kid picks the old one.
    s = Signer("the-current-secret-of-32-bytes-long", "zendesk", previous=[KEY])
    assert s.verify_token(token, kids=["app_1", "app_2"]) == zendesk
    assert s.verify_token(token) == zendesk  # without kids every secret is tried
    with pytest.raises(userhash.UnknownKidError):
        s.verify_token(token, kids=["app_1"])


@pytest.mark.parametrize("made, error", [
    (lambda now: jwt.encode({"sub": "u", "iat": now - 7200, "exp": now - 3600}, KEY, algorithm="HS256"), "token_expired"),
    (lambda now: jwt.encode({"sub": "u", "iat": now}, "another-secret-of-32-bytes-at-least", algorithm="HS256"),
     "bad_signature"),
    (lambda now: jwt.encode({"sub": "u", "iat": now}, None, algorithm="none"), "invalid_token"),
    (lambda now: jwt.encode({"sub": "u", "iat": now}, KEY * 2, algorithm="HS512"), "invalid_token"),
    (lambda now: jwt.encode({"sub": "u", "iat": now, "nbf": now + 3600}, KEY, algorithm="HS256"), "token_not_yet_valid"),
    (lambda now: jwt.encode({"iat": now, "name": "no sub"}, KEY, algorithm="HS256"), "invalid_token"),
    (lambda now: jwt.encode({"sub": "u", "iat": now}, KEY, algorithm="HS256")[:-3], "bad_signature"),
    (lambda now: jwt.encode({"sub": "u", "iat": now}, KEY, algorithm="HS256") + ".x", "invalid_token"),
], ids=["expired", "wrong-secret", "alg-none", "hs512", "not-yet-valid", "missing-sub", "truncated", "extra-part"])
def test_pyjwt_bad_tokens_get_our_stable_codes(made, error):
    token = made(int(time.time()))
    with pytest.raises(ERROR_CLASSES[error]) as e:
        Signer(KEY, "drift").verify_token(token)
    assert e.value.code == error
    assert KEY not in str(e.value)


def test_leeway_and_now():
    now = int(time.time())
    token = jwt.encode({"sub": "u", "iat": now - 100, "exp": now - 30}, KEY, algorithm="HS256")
    s = Signer(KEY, "drift")
    assert s.verify_token(token)["sub"] == "u"  # within the default 60 s
    with pytest.raises(userhash.TokenExpiredError):
        s.verify_token(token, leeway=10)
    assert s.verify_token(token, now=now - 50, leeway=0)["exp"] == now - 30


def test_option_errors_name_the_option():
    s = Signer(KEY, "zendesk")
    with pytest.raises(userhash.InvalidInputError, match="kid"):
        s.token(external_id="e")
    with pytest.raises(userhash.InvalidInputError, match="ttl"):
        s.token(external_id="e", kid="k", ttl="soon")  # type: ignore[arg-type]
    with pytest.raises(userhash.InvalidInputError, match="kids"):
        s.verify_token("a.b.c", kids="app_1")  # type: ignore[arg-type]
    with pytest.raises(userhash.InvalidInputError, match="token"):
        s.verify_token(42)  # type: ignore[arg-type]
    with pytest.raises(userhash.InvalidInputError, match="unknown field"):
        s.token(external_id="e", kid="k", mail="a@b.c")
    with pytest.raises(TypeError):
        s.verify_token("a.b.c", leway=5)  # type: ignore[call-arg]
