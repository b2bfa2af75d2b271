"""The .pyi stubs (_userhash.pyi, _errors.pyi) against the installed runtime, by
mypy.stubtest: every name, signature, default and error class must agree."""

import subprocess
import sys
import tempfile

import pytest


def test_stubtest_passes():
    pytest.importorskip("mypy.stubtest")
    with tempfile.TemporaryDirectory() as cwd:  # not bindings-python/, whose python/ would shadow the wheel
        result = subprocess.run(
            [sys.executable, "-m", "mypy.stubtest", "userhash._userhash", "userhash._errors", "userhash._native"],
            cwd=cwd, capture_output=True, text=True,
        )
    assert result.returncode == 0, result.stdout + result.stderr


TYPED_USE = """
import userhash
from userhash import EmptyIdentityError, Signer

signer: Signer = userhash.Signer("s", "ensoras", previous=[b"old"])
h: str = signer.sign(email="a@b.c")
ok: bool = signer.verify(h, {"email": "a@b.c"})
hashes: list[str] = signer.sign_many(["a@b.c"], field=signer.fields[0])
try:
    signer.sign(email="")
except EmptyIdentityError as e:
    where: str | None = e.path
    index: int | None = e.item
error_class: type[userhash.UserhashError] = userhash.ERROR_CLASSES["too_deep"]
preset: str = userhash.PRESETS[0]
tok: str = Signer("s", "drift").token(user_id="u", ttl=60)
claims: dict[str, object] = Signer("s", "drift").verify_token(tok, leeway=5, kids=["k"])
d: userhash.Diagnosis = signer.diagnose(h, email="a@b.c")
matched: bool = d.matched
first: int | None = d.first_difference
"""


def test_typed_code_checks_under_mypy_strict():
    pytest.importorskip("mypy")
    with tempfile.TemporaryDirectory() as cwd:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-c", TYPED_USE],
            cwd=cwd, capture_output=True, text=True,
        )
    assert result.returncode == 0, result.stdout + result.stderr
