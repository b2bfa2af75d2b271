"""Signer.sign_many: a list in, a list of hex out, the same hashes as sign() and
as Python's stdlib HMAC; the first bad item fails the call naming its index."""

import hashlib
import hmac
import threading

import pytest

import userhash
from userhash import EmptyIdentityError, InvalidInputError, Signer, TooDeepError

SECRET = "s3cr3t"


def mac(canonical, secret=SECRET):
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def test_default_fields_match_sign():
    cases = [
        ("inviaro", "user_id", ["usr_1", 42, -7, 2**64 + 1, " x "]),
        ("layerup", "email", ["Alice@Example.COM", "  ", "b@c.d"]),
        ("ensoras", "email", ["Alice@Example.COM", "ΟΔΟΣ@X.GR"]),
        ("fluentbot", "visitor", [{"name": "Ann", "data": {"b": 1, "a": [1.5, None]}}, {"email": "a@b"}]),
    ]
    for preset, field, values in cases:
        s = Signer(SECRET, preset)
        assert s.sign_many(values) == [s.sign(**{field: v}) for v in values], preset
    assert Signer(SECRET, "ensoras").sign_many(["Alice@Example.COM"]) == [
        "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"
    ]


def test_large_batch_matches_stdlib_across_chunks():
    ids = [f"usr_{i}" for i in range(100_003)]
    got = Signer(SECRET, "inviaro").sign_many(ids)
    assert len(got) == len(ids)
    assert got == [mac(i) for i in ids]


def test_explicit_field():
    s = Signer(SECRET, "supportwire")
    assert s.sign_many([" A@B.C "], field="email") == [mac("a@b.c")]
    assert s.sign_many([" ID-9 ", 17], field="external_id") == [mac("id-9"), mac("17")]
    assert s.sign_many([17], field="externalId") == [mac("17")]
    assert Signer(SECRET, "inviaro").sign_many([1], field="userId") == [mac("1")]
    assert Signer(SECRET, "inviaro").sign_many([1], field=None) == [mac("1")]


def test_supportwire_needs_a_field():
    s = Signer(SECRET, "supportwire")
    with pytest.raises(InvalidInputError, match="name the field"):
        s.sign_many(["a@b.c"])
    with pytest.raises(InvalidInputError, match="name the field"):
        s.sign_many([])


def test_bad_field():
    s = Signer(SECRET, "ensoras")
    with pytest.raises(InvalidInputError, match="mail"):
        s.sign_many(["a@b.c"], field="mail")
    with pytest.raises(TypeError):
        s.sign_many(["a@b.c"], field=1)
    with pytest.raises(InvalidInputError):
        s.sign_many(["a@b.c"], field="user_id")  # not what ensoras signs
    with pytest.raises(TypeError):
        s.sign_many(["a@b.c"], "email")  # field is keyword-only


def test_empty_batch():
    assert Signer(SECRET, "ensoras").sign_many([]) == []
    assert Signer(SECRET, "ensoras").sign_many(()) == []


def test_iterables():
    s = Signer(SECRET, "inviaro")
    expected = [mac(str(i)) for i in range(5)]
    assert s.sign_many(range(5)) == expected
    assert s.sign_many(tuple(range(5))) == expected
    assert s.sign_many(i for i in range(5)) == expected
    assert s.sign_many(iter(list(range(5)))) == expected
    for bad in ("abc", b"abc", {"a": 1}):
        with pytest.raises(TypeError):
            s.sign_many(bad)
    with pytest.raises(TypeError):
        s.sign_many(5)


def test_first_bad_item_names_its_index():
    s = Signer(SECRET, "inviaro")
    ids = [f"u{i}" for i in range(100_000)]
    ids[70_001] = ""
    with pytest.raises(EmptyIdentityError, match=r"^item 70001: ") as e:
        s.sign_many(ids)
    assert e.value.code == "empty_identity"
    ids[99_999] = True
    ids[5] = True  # the earliest one wins
    with pytest.raises(InvalidInputError, match=r"^item 5: "):
        s.sign_many(ids)
    with pytest.raises(InvalidInputError, match=r"^item 2: .*surrogate"):
        s.sign_many(["a", "b", "c\ud800"])
    with pytest.raises(InvalidInputError, match=r"^item 1: .*float"):
        s.sign_many([1, 1.5])


def test_visitor_errors_name_index_and_path():
    s = Signer(SECRET, "fluentbot")
    deep = 1
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(TooDeepError, match=r"^item 1: "):
        s.sign_many([{"email": "a@b"}, {"email": "a@b", "data": deep}])
    with pytest.raises(InvalidInputError, match=r"^item 0: visitor\.data\.when: .*set"):
        s.sign_many([{"email": "a@b", "data": {"when": {1}}}])


def test_list_mutated_by_another_thread_is_safe():
    # The batch is snapshotted: another thread emptying the list while the GIL is
    # released must not crash or change the result.
    s = Signer(SECRET, "fluentbot")
    visitors = [{"email": f"user{i}@x.com", "data": {"n": "x" * 50}} for i in range(50_000)]
    expected = s.sign_many(visitors)
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            for v in visitors[:100]:
                v["data"] = {"n": "y"}
                v["data"] = {"n": "x" * 50}

    t = threading.Thread(target=churn)
    t.start()
    try:
        for _ in range(3):
            got = s.sign_many(list(visitors))
            assert len(got) == len(expected)
    finally:
        stop.set()
        t.join()


def test_threads_share_one_signer():
    s = Signer(SECRET, "inviaro")
    ids = list(range(40_000))
    expected = s.sign_many(ids)
    results, errors = [], []

    def work():
        try:
            results.append(s.sign_many(ids))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == expected for r in results) and len(results) == 4


def test_module_exports():
    assert callable(userhash.Signer.sign_many)
