"""The shared native-value table (tests/native-values/cases.json, from table.json): every
row naming Python is built as its native value and signed; ok rows must equal both the
oracle's hash and Python's own stdlib HMAC over the oracle's canonical bytes, error rows
the oracle's code and path. Then the core-only probe preset, which no binding names."""

import datetime
import decimal
import enum
import hashlib
import hmac
import json
from pathlib import Path

import pytest

import userhash

DOC = json.loads((Path(__file__).resolve().parents[2] / "tests" / "native-values" / "cases.json").read_text("utf-8"))
SECRET = DOC["secret"]


class Plan(enum.Enum):
    PRO = "pro"


class Plain:
    pass


def cycle():
    d = {"a": 1}
    d["self"] = d
    return d


# One builder per table row naming Python (the table's "python" column).
BUILDERS = {
    "plain-record": lambda: {"plan": "pro", "seats": 3, "ok": True, "none": None, "tags": ["a", "b"]},
    "tuple": lambda: (1, "two"),
    "set": lambda: {1, 2},
    "map-non-string-key": lambda: {1: "a"},
    "datetime": lambda: datetime.datetime(2024, 1, 2, 3, 4, 5),
    "decimal": lambda: decimal.Decimal("1.10"),
    "int-2-pow-70": lambda: 2**70,
    "int64-max": lambda: 2**63 - 1,
    "uint64-max": lambda: 2**64 - 1,
    "nan": lambda: float("nan"),
    "infinity": lambda: float("-inf"),
    "negative-zero": lambda: -0.0,
    "integral-float": lambda: 3.0,
    "bytes": lambda: b"ab",
    "enum": lambda: Plan.PRO,
    "class-instance": Plain,
    "cycle": cycle,
    "lone-surrogate-in-payload": lambda: "a\ud800b",
    "lone-surrogate-id": lambda: "a\ud800",
    "bool-id": lambda: True,
    "integral-float-id": lambda: 42.0,
    "fractional-float-id": lambda: 42.5,
    "big-integer-id": lambda: 2**70,
    "int64-id": lambda: 2**63 - 1,
    "datetime-id": lambda: datetime.datetime(2024, 1, 2, 3, 4, 5),
}

ROWS = [row for row in DOC["cases"] if "python" in row["langs"]]


def stdlib_hmac(canonical):
    return hmac.new(SECRET.encode(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def test_every_python_row_has_a_builder():
    assert ROWS
    assert sorted(BUILDERS) == sorted(row["id"] for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_native_value(row):
    value = BUILDERS[row["id"]]()
    field = {"visitor": {"name": "Ann", "data": {"v": value}}} if row["carrier"] == "visitor" else {"user_id": value}
    signer = userhash.Signer(SECRET, row["preset"])
    expect = row["expect"]
    if "error" in expect:
        with pytest.raises(userhash.UserhashError) as e:
            signer.sign(field)
        assert (e.value.code, e.value.path) == (expect["error"], expect["path"]), str(e.value)
        assert type(e.value) is userhash.ERROR_CLASSES[expect["error"]]
        return
    assert signer.canonical(field) == expect["canonical"]
    assert signer.sign(field) == stdlib_hmac(expect["canonical"]) == expect["hash"]
    assert signer.sign_many([field[row["carrier"]]]) == [expect["hash"]]


PROBE = "zz_probe"  # defined in the core only (feature probe-preset); the binding never names it


def test_a_preset_defined_only_in_the_core_works():
    assert PROBE in userhash.PRESETS
    signer = userhash.Signer(SECRET, PROBE)
    assert signer.fields == ["user_id"]
    want = stdlib_hmac("abc")
    assert signer.sign(user_id="  AbC ") == want
    assert signer.sign({"user_id": "  AbC "}) == want
    assert signer.verify(want, userId=" ABC")
    assert signer.sign_many(["  AbC ", "abc"]) == [want, want]
    assert signer.preset == PROBE and repr(signer) == f"userhash.Signer(preset='{PROBE}')"
