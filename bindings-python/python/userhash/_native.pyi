# Stub of userhash._native (checked against the runtime by mypy.stubtest in `make test-python`).
import dataclasses
from typing import Dict, List, Optional

def refusal(value: object) -> str:
    """The core's refusal kind of a Python value that is not plain data; ``object`` for any other."""

@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """Why a hash does not match (``Signer.diagnose``, docs/doctor.md). Frozen; never holds a secret.

    ``matched``: some variant (or the correct rule) reproduces the hash. ``variant``: the
    mistakes' ids joined by ``+`` (``"python_strip_lower"``), ``"correct"`` or ``"none"``.
    ``explanation``: one paragraph naming the language or function responsible.
    ``expected_canonical``: what the preset signs for this input (None when it cannot sign
    it: then ``expected_error`` says why). ``signed_canonical``: the message that was
    evidently signed; ``first_difference``: the first byte offset where the two differ.
    ``mistakes``: ``[{"id": ..., "explanation": ...}]``. ``tried``: how many candidates were hashed.
    """

    matched: bool
    variant: str
    explanation: str
    expected_canonical: Optional[str]
    expected_error: Optional[str]
    signed_canonical: Optional[str]
    first_difference: Optional[int]
    mistakes: List[Dict[str, str]]
    tried: int
