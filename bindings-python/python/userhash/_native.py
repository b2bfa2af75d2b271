"""The Python half of the extension: which of the core's refusal kinds
(``userhash::Refused``) each Python type that is not plain data stands for (the extension
asks ``refusal(value)`` when it meets one, and the core words the error), and the
``Diagnosis`` that ``Signer.diagnose`` returns (docs/doctor.md)."""

import dataclasses
import datetime
import decimal
import enum

from ._userhash import _DIAGNOSIS_KEYS

_KINDS = {"datetime": (datetime.date, datetime.time), "decimal": decimal.Decimal, "enum": enum.Enum,
          "bytes": (bytes, bytearray, memoryview), "set": (set, frozenset)}


def refusal(value: object) -> str:
    """The kind of ``value``; ``object`` for any other non-JSON value."""
    return next((kind for kind, types in _KINDS.items() if isinstance(value, types)), "object")


# Frozen; typed and documented in _native.pyi.
# Its fields are the core's diagnosis keys (userhash::Diagnosis::KEYS), in the core's order.
Diagnosis = dataclasses.make_dataclass("Diagnosis", _DIAGNOSIS_KEYS, frozen=True, namespace={"__doc__": "See Signer.diagnose."})
