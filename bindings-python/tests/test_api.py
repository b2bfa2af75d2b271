"""Public API and error behaviour of the Python binding.

Expected hashes come from Python's stdlib hmac over the documented canonical
string (or the Node snippet's value for the Ensoras check), never from userhash.
"""

import collections
import datetime
import decimal
import hashlib
import hmac
import os
import pickle
import uuid

import pytest

import userhash
from userhash import (
    EmptyIdentityError,
    EmptySecretError,
    InvalidInputError,
    Signer,
    TooDeepError,
    UnknownPresetError,
    UserhashError,
)

SECRET = "s3cr3t"
# The Ensoras Node snippet: createHmac('sha256','s3cr3t').update('Alice@Example.COM'.toLowerCase())
ENSORAS_ALICE = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"


def mac(canonical, secret=SECRET):
    key = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


# --- construction -----------------------------------------------------------------


def test_ensoras_check_value():
    assert Signer(SECRET, "ensoras").sign(email="Alice@Example.COM") == ENSORAS_ALICE


def test_secret_as_bytes_and_bytearray():
    for secret in (b"s3cr3t", bytearray(b"s3cr3t")):
        assert Signer(secret, "ensoras").sign(email="Alice@Example.COM") == ENSORAS_ALICE
    raw = bytes(range(256))
    assert Signer(raw, "layerup").sign(email="a@b.c") == mac("a@b.c", raw)


def test_non_ascii_and_long_secrets():
    for secret in ("sécret✓", "k" * 65, "k" * 200):
        assert Signer(secret, "layerup").sign(email="a@b.c") == mac("a@b.c", secret)


@pytest.mark.parametrize("secret", ["", b"", None])
def test_empty_secret(secret):
    with pytest.raises(EmptySecretError) as e:
        Signer(secret, "ensoras")
    assert e.value.code == "empty_secret"


def test_secret_wrong_type():
    with pytest.raises(TypeError):
        Signer(42, "ensoras")


@pytest.mark.parametrize("preset", ["intercomm", "Ensoras", "", " ensoras"])
def test_unknown_preset(preset):
    with pytest.raises(UnknownPresetError) as e:
        Signer(SECRET, preset)
    assert e.value.code == "unknown_preset"
    assert SECRET not in str(e.value)


def test_scheme_spec():
    s = Signer(SECRET, "email:trim_lowercase")
    assert s.canonical(email="  Bob@X.COM\n") == "bob@x.com"
    assert s.preset == "email:trim_lowercase"


def test_repr_shows_preset_not_secret():
    secret = "super-secret-value-123"
    s = Signer(secret, "ensoras", previous=["old-secret-456"])
    assert repr(s) == "userhash.Signer(preset='ensoras')"
    assert secret not in repr(s) and "old-secret" not in repr(s)
    assert secret not in str(s)
    assert s.preset == "ensoras" and s.previous_count == 1


def test_signer_not_picklable():
    with pytest.raises(Exception):
        pickle.dumps(Signer("super-secret-value-123", "ensoras"))


def test_previous_secrets_verify_only():
    old, new = Signer("old", "layerup"), Signer("new", "layerup", previous=["old", b"older"])
    h_old = old.sign(email="a@b.c")
    assert new.verify(h_old, email="a@b.c")
    assert new.verify(Signer("older", "layerup").sign(email="a@b.c"), email="a@b.c")
    assert new.sign(email="a@b.c") == mac("a@b.c", "new")
    assert not Signer("new", "layerup").verify(h_old, email="a@b.c")


def test_previous_must_be_a_collection():
    with pytest.raises(TypeError):
        Signer("new", "layerup", previous="old")
    with pytest.raises(EmptySecretError, match="previous secret #2"):
        Signer("new", "layerup", previous=["old", ""])


def test_from_env(monkeypatch):
    monkeypatch.setenv("UH_TEST_SECRET", SECRET)
    monkeypatch.setenv("UH_TEST_OLD", "old")
    s = Signer.from_env("UH_TEST_SECRET", "ensoras", previous_vars=["UH_TEST_OLD"])
    assert s.sign(email="Alice@Example.COM") == ENSORAS_ALICE
    assert s.verify(mac("alice@example.com", "old"), email="Alice@Example.COM")
    assert repr(s) == "userhash.Signer(preset='ensoras')"


def test_from_env_unset_or_empty(monkeypatch):
    monkeypatch.delenv("UH_TEST_UNSET", raising=False)
    with pytest.raises(EmptySecretError, match="UH_TEST_UNSET is not set"):
        Signer.from_env("UH_TEST_UNSET", "ensoras")
    monkeypatch.setenv("UH_TEST_EMPTY", "")
    with pytest.raises(EmptySecretError, match="UH_TEST_EMPTY is empty"):
        Signer.from_env("UH_TEST_EMPTY", "ensoras")
    monkeypatch.setenv("UH_TEST_SECRET", SECRET)
    with pytest.raises(EmptySecretError, match="UH_TEST_UNSET"):
        Signer.from_env("UH_TEST_SECRET", "ensoras", previous_vars=("UH_TEST_UNSET",))


# --- sign / verify / canonical ---------------------------------------------------


def test_presets_canonical_and_hash():
    cases = [
        ("layerup", {"email": "Alice@Example.COM"}, "Alice@Example.COM"),
        ("inviaro", {"user_id": "usr_42"}, "usr_42"),
        ("inviaro", {"user_id": 42}, "42"),
        ("inviaro", {"userId": -7}, "-7"),
        ("inviaro", {"user_id": 2**64 + 1}, str(2**64 + 1)),
        ("inviaro", {"user_id": 10**50}, "1" + "0" * 50),
        ("ensoras", {"email": "ΟΔΟΣ@X.GR"}, "οδος@x.gr"),
        ("supportwire", {"email": "\ufeff Bob@X.com\u3000"}, "bob@x.com"),
        ("supportwire", {"external_id": " ID-9 ", "email": "x@y.z"}, "id-9"),
        ("supportwire", {"external_id": None, "email": "X@Y.Z"}, "x@y.z"),
        ("supportwire", {"externalId": 17}, "17"),
    ]
    for preset, fields, canonical in cases:
        s = Signer(SECRET, preset)
        assert s.canonical(**fields) == canonical, (preset, fields)
        h = s.sign(**fields)
        assert h == mac(canonical), (preset, fields)
        assert s.verify(h, **fields)


def test_fluentbot_payload():
    s = Signer(SECRET, "fluentbot")
    visitor = {
        "email": "a@b.c",
        "name": "Ann",
        "extra": "ignored",
        "data": {"b": 1, "10": True, "a": [1.0, 1e21, 1e-7, -0.0, None], "2": "x</script>\u2028"},
    }
    expected = (
        '{"name":"Ann","email":"a@b.c","data":{"2":"x</script>\u2028","10":true,"b":1,'
        '"a":[1,1e+21,1e-7,0,null]}}'
    )
    assert s.canonical(visitor=visitor) == expected
    assert s.sign(visitor=visitor) == mac(expected)
    # Tuples are arrays, OrderedDict is a dict, nan/inf are null, big ints round like JSON.parse.
    v2 = {
        "name": "A",
        "data": collections.OrderedDict([("t", (1, 2)), ("n", float("nan")), ("big", 9007199254740993)]),
    }
    assert s.canonical(visitor=v2) == '{"name":"A","data":{"t":[1,2],"n":null,"big":9007199254740992}}'
    assert s.canonical(visitor={"email": "a@b.c"}) == '{"email":"a@b.c","data":null}'


def test_verify_malformed_hash_is_false():
    s = Signer(SECRET, "ensoras")
    good = s.sign(email="Alice@Example.COM")
    for bad in ["", "zz", good.upper(), good[:-1], good + "0", None, 42, b"x" * 64, "\ud800" * 64]:
        assert s.verify(bad, email="Alice@Example.COM") is False
    assert s.verify(good, email="Alice@Example.COM") is True
    assert s.verify(good, email="bob@example.com") is False


def test_verify_still_raises_on_bad_input():
    with pytest.raises(InvalidInputError):
        Signer(SECRET, "ensoras").verify("0" * 64, email=42)


# --- errors ---------------------------------------------------------------------


def test_error_hierarchy_and_codes():
    assert issubclass(UserhashError, ValueError)
    assert set(userhash.ERROR_CLASSES) == set(userhash.ERROR_CODES)
    for code, cls in userhash.ERROR_CLASSES.items():
        assert issubclass(cls, UserhashError) and cls.code == code
        assert getattr(userhash, cls.__name__) is cls
        assert cls.__name__ == "".join(w.title() for w in code.split("_")) + "Error"
    # The class names users have today.
    assert userhash.ERROR_CLASSES["empty_identity"] is userhash.EmptyIdentityError
    assert userhash.ERROR_CLASSES["invalid_utf8"] is userhash.InvalidUtf8Error


def test_user_id_true_is_invalid_input():
    with pytest.raises(InvalidInputError) as e:
        Signer(SECRET, "inviaro").sign(user_id=True)
    assert e.value.code == "invalid_input"
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("bad", [1.0, None, False, [1], {"id": 1}])
def test_user_id_wrong_types(bad):
    with pytest.raises(InvalidInputError):
        Signer(SECRET, "inviaro").sign(user_id=bad)


def test_empty_identity():
    with pytest.raises(EmptyIdentityError) as e:
        Signer(SECRET, "supportwire").sign(email=" \t ")
    assert e.value.code == "empty_identity"
    with pytest.raises(EmptyIdentityError):
        Signer(SECRET, "fluentbot").sign(visitor={"name": None, "email": ""})


def test_unknown_and_missing_fields():
    s = Signer(SECRET, "ensoras")
    # Every name reaches the core, which names the unknown one (sign's other keywords too).
    with pytest.raises(InvalidInputError, match='unknown field "mail"'):
        s.sign({"mail": "a@b.c"})
    with pytest.raises(InvalidInputError, match='unknown field "mail"'):
        s.sign(mail="a@b.c")
    with pytest.raises(InvalidInputError, match='unknown field "mail"'):
        s.verify("0" * 64, mail="a@b.c")
    with pytest.raises(InvalidInputError, match='unknown field "mail"'):
        s.canonical({"mail": "a@b.c"})
    # Given under both names: the core's invalid_input.
    with pytest.raises(InvalidInputError, match="given twice"):
        Signer(SECRET, "inviaro").sign(user_id=1, userId=1)
    with pytest.raises(InvalidInputError, match="given twice"):
        Signer(SECRET, "supportwire").canonical(external_id=1, externalId=1)
    with pytest.raises(InvalidInputError, match="given twice"):
        s.sign({"email": "a@b.c"}, email="a@b.c")
    with pytest.raises(InvalidInputError, match="missing field email"):
        s.sign()
    with pytest.raises(InvalidInputError):
        s.sign(email="a@b.c", user_id="1")
    # Present-but-None is a value (the core reports it), not an absent field.
    with pytest.raises(InvalidInputError, match="unexpected field user_id"):
        s.sign(email="a@b.c", user_id=None)
    with pytest.raises(TypeError, match="input must be a dict"):
        s.sign("a@b.c")


def test_input_as_a_mapping():
    s = Signer(SECRET, "supportwire")
    want = mac("id-9")
    assert s.sign({"external_id": " ID-9 ", "email": "x@y.z"}) == want
    assert s.sign({"externalId": " ID-9 "}, email="x@y.z") == want
    assert s.sign(collections.OrderedDict(external_id=" ID-9 ")) == want
    assert s.verify(want, {"external_id": " ID-9 "})
    assert s.canonical({"email": " A@B.C "}) == "a@b.c"
    assert s.sign(None, email="a@b.c") == mac("a@b.c")
    with pytest.raises(TypeError, match="input must be a dict"):
        s.sign({1: "a@b.c"})


def test_sign_keywords_are_only_a_shortcut_for_the_dict():
    # sign names no field: every keyword goes to the core by name, exactly as the same
    # key in the dict (each field of every preset, aliases, any field the core adds).
    import inspect

    kinds = [p.kind for p in inspect.signature(Signer.sign).parameters.values()]
    assert kinds == [inspect.Parameter.POSITIONAL_ONLY] * 2 + [inspect.Parameter.VAR_KEYWORD]
    for preset in userhash.PRESETS:
        signer = Signer("5ec2e7", preset)  # hex, as some presets' secrets are
        identity = {f: {"email": "a@b.c"} if f == "visitor" else "ID-9" for f in signer.fields}
        try:
            want = signer.sign(identity)
        except InvalidInputError:  # a token preset: token(), not sign()
            continue
        assert signer.sign(**identity) == want, preset
    s = Signer(SECRET, "supportwire")
    assert s.sign(externalId=" ID-9 ") == s.sign({"external_id": " ID-9 "}) == mac("id-9")
    with pytest.raises(InvalidInputError, match="given twice"):
        s.sign({"externalId": 1}, external_id=1)
    with pytest.raises(InvalidInputError, match="given twice"):
        s.sign({"external_id": 1}, externalId=1)


def test_signer_options_go_to_the_core():
    assert Signer(SECRET, "ensoras", options=None).sign(email="A@B.C") == mac("a@b.c")
    assert Signer(SECRET, "ensoras", options={}).sign(email="A@B.C") == mac("a@b.c")
    with pytest.raises(InvalidInputError, match='unknown signer option "colour"'):
        Signer(SECRET, "ensoras", options={"colour": "red"})
    with pytest.raises(InvalidInputError, match="signer options must be an object"):
        Signer(SECRET, "ensoras", options=["colour"])


def test_scheme_fields_from_the_core():
    assert Signer(SECRET, "supportwire").fields == ["external_id", "email"]
    assert Signer(SECRET, "email:lowercase").fields == ["email"]
    assert Signer(SECRET, "fluentbot").fields == ["visitor"]


def test_datetime_in_visitor_data_names_the_path():
    with pytest.raises(InvalidInputError) as e:
        Signer(SECRET, "fluentbot").sign(
            visitor={"name": "A", "data": {"plan": "pro", "created_at": datetime.datetime(2024, 1, 1)}}
        )
    assert e.value.code == "invalid_input"
    assert e.value.path == "visitor.data.created_at" and e.value.item is None
    assert str(e.value).startswith("visitor.data.created_at: datetime is not a JSON value")


@pytest.mark.parametrize(
    "value, type_name",
    [
        (datetime.date(2024, 1, 1), "date"),
        (b"bytes", "bytes"),
        ({1, 2}, "set"),
        (decimal.Decimal("1.5"), "Decimal"),
        (uuid.UUID(int=1), "UUID"),
        (object(), "object"),
        (frozenset(), "frozenset"),
        (bytearray(b"x"), "bytearray"),
        (datetime.time(1), "time"),
    ],
)
def test_unsupported_types(value, type_name):
    with pytest.raises(InvalidInputError, match=type_name) as e:
        Signer(SECRET, "fluentbot").sign(visitor={"data": {"items": [1, value]}})
    assert e.value.path == "visitor.data.items[1]"


def test_non_string_keys():
    with pytest.raises(InvalidInputError, match="int") as e:
        Signer(SECRET, "fluentbot").sign(visitor={"data": {"ok": 1, 2: "x"}})
    assert "visitor.data" in str(e.value)
    # A non-string key that mimics a string key must not be silently merged away.
    with pytest.raises(InvalidInputError):
        Signer(SECRET, "fluentbot").sign(visitor={"data": {1: "x", "1": "y"}})


def test_lone_surrogates():
    s = Signer(SECRET, "fluentbot")
    # In a payload: written as JSON.stringify writes it (a \\udXXX escape).
    assert s.canonical(visitor={"name": "bad\ud800"}) == '{"name":"bad\\ud800","data":null}'
    assert s.sign(visitor={"data": ["\udfffx"]}) == mac('{"data":["\\udfffx"]}')
    # A key has no such form in the core; an email or id is refused (the vendor would sign U+FFFD).
    with pytest.raises(InvalidInputError, match="surrogate"):
        s.sign(visitor={"data": {"k\udfff": 1}})
    with pytest.raises(InvalidInputError, match="surrogate") as e:
        Signer(SECRET, "ensoras").sign(email="a\udc80@b.c")
    assert e.value.path == "email"
    with pytest.raises(InvalidInputError, match="surrogate") as e:
        Signer("hunter2-\ud800-hunter2", "ensoras")
    assert "hunter2" not in f"{e.value} {e.value!r}"
    assert e.value.__context__ is None and e.value.__cause__ is None
    # A proper pair is fine: it is one astral character.
    assert s.canonical(visitor={"name": "\U0001F600"}) == '{"name":"\U0001F600","data":null}'


def test_nesting_100000_deep_is_too_deep():
    for make in (lambda x: [x], lambda x: {"a": x}, lambda x: (x,)):
        x = "leaf"
        for _ in range(100_000):
            x = make(x)
        with pytest.raises(TooDeepError) as e:
            Signer(SECRET, "fluentbot").sign(visitor={"data": x})
        assert e.value.code == "too_deep"


def test_self_referencing_containers_are_too_deep_where_they_start():
    a = []
    a.append(a)
    with pytest.raises(TooDeepError) as e:
        Signer(SECRET, "fluentbot").sign(visitor={"data": a})
    assert e.value.path == "visitor.data"
    d = {"ok": [1]}
    d["inner"] = {"back": [d]}
    with pytest.raises(TooDeepError) as e:
        Signer(SECRET, "fluentbot").sign(visitor={"data": {"x": d}})
    assert e.value.path == "visitor.data.x"
    shared = [1]  # the same list twice is not a cycle
    assert Signer(SECRET, "fluentbot").canonical(visitor={"data": [shared, shared]}) == '{"data":[[1],[1]]}'


def test_depth_limit_is_exact():
    def nest(levels):
        x = 1
        for _ in range(levels):
            x = [x]
        return x

    s = Signer(SECRET, "fluentbot")
    # The visitor object is level 1, so data may hold MAX_DEPTH - 1 nested arrays.
    s.sign(visitor={"data": nest(userhash.MAX_DEPTH - 1)})
    with pytest.raises(TooDeepError):
        s.sign(visitor={"data": nest(userhash.MAX_DEPTH)})


def test_secret_never_in_error_text():
    secret = "super-secret-value-123"
    s = Signer(secret, "inviaro", previous=["older-secret-456"])
    errors = []
    for fields in ({"user_id": True}, {"user_id": ""}, {"email": "x"}, {}):
        try:
            s.sign(**fields)
        except UserhashError as e:
            errors.append(e)
    for e in errors + [pytest.raises(UnknownPresetError, Signer, secret, "nope").value]:
        text = f"{e!s} {e!r} {e.args}"
        assert secret not in text and "older-secret" not in text


def test_errors_pickle_round_trip():
    e = InvalidInputError("email must be a string")
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is InvalidInputError and e2.code == "invalid_input" and str(e2) == str(e)
    try:
        Signer(SECRET, "inviaro").sign_many(["a", "b", ""])
    except EmptyIdentityError as caught:
        e = caught
    e2 = pickle.loads(pickle.dumps(e))
    assert (type(e2), str(e2), e2.path, e2.item) == (EmptyIdentityError, str(e), None, 2)


def test_large_visitor_payload():
    # Hashed with the GIL released; same result as stdlib.
    s = Signer(SECRET, "fluentbot")
    data = {f"k{i}": "x" * 100 for i in range(1000)}
    c = s.canonical(visitor={"name": "A", "data": data})
    assert s.sign(visitor={"name": "A", "data": data}) == mac(c)


def test_module_metadata():
    assert userhash.MAX_DEPTH == 128
    assert userhash.__version__
    # The core's list (the test build also has its probe preset, tests/test_native_values.py).
    assert {"layerup", "inviaro", "ensoras", "supportwire", "fluentbot", "zz_probe"} <= set(userhash.PRESETS)
    assert isinstance(userhash.PRESETS, tuple) and len(set(userhash.PRESETS)) == len(userhash.PRESETS)
    for preset in userhash.PRESETS:
        assert Signer(SECRET, preset, options={"secret_encoding": "raw"}).preset == preset
    assert os.path.exists(os.path.join(os.path.dirname(userhash.__file__), "py.typed"))
