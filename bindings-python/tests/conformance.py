"""The docs/design.md "Golden vectors" golden-vector checks, shared by test_conformance.py (pytest) and
conformance_cli.py (the `make conformance` line).

Expected values come only from the vector files (written by the Node oracle) and
from Python's own stdlib HMAC, never from userhash checking itself.
"""

import binascii
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Tuple

import userhash

REPO = Path(__file__).resolve().parents[2]


def vectors_path() -> Path:
    """USERHASH_VECTORS (a file or a directory of *.json), default <repo>/tests/vectors."""
    return Path(os.environ.get("USERHASH_VECTORS") or REPO / "tests" / "vectors")


def vector_files(path: Path) -> List[Path]:
    if path.is_dir():
        return sorted(path.glob("*.json"))
    if not path.exists():
        raise FileNotFoundError(f"USERHASH_VECTORS: no such file or directory: {path}")
    return [path]


def load_vectors(path: Path = None) -> List[Tuple[str, Dict[str, Any]]]:
    """(label, vector) for every vector; json.load keeps the file's key order."""
    out = []
    for file in vector_files(path or vectors_path()):
        with open(file, encoding="utf-8") as fh:
            doc = json.load(fh)
        for i, vector in enumerate(doc["vectors"]):
            out.append((f"{file.name}:{vector.get('id', i)}", vector))
    return out


def key_bytes(v: Dict[str, Any]) -> bytes:
    """The HMAC key a vector's secret stands for (docs/design.md, "Golden vectors"): the
    vector's ``key_hex`` (the oracle's decoding, present whenever the secret is hex or base64
    text), else the secret's UTF-8. No runner decodes secrets itself."""
    return bytes.fromhex(v["key_hex"]) if "key_hex" in v else v["secret"].encode("utf-8")


def stdlib_hmac(key: bytes, canonical: str) -> str:
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _mutate(h: str) -> str:
    """The hash with its last hex digit changed."""
    return h[:-1] + ("0" if h[-1] != "0" else "1")


def _expect_error(code: str, fn, what: str) -> List[str]:
    try:
        result = fn()
    except userhash.UserhashError as e:
        problems = []
        if e.code != code:
            problems.append(f"{what}: error {e.code} ({e}), expected {code}")
        cls = userhash.ERROR_CLASSES.get(code)
        if cls is not None and not isinstance(e, cls):
            problems.append(f"{what}: raised {type(e).__name__}, expected {cls.__name__}")
        return problems
    except Exception as e:  # noqa: BLE001 - any other exception is a failure
        return [f"{what}: raised {type(e).__name__} ({e}), expected userhash error {code}"]
    return [f"{what}: returned {result!r}, expected error {code}"]


def check_vector(v: Dict[str, Any]) -> List[str]:
    """Problems found for one vector; empty when it passes."""
    secret, preset, fields = v["secret"], v["preset"], v["input"]
    previous, options = v.get("previous", ()), v.get("signer_options")
    if "error" in v:
        code = v["error"]
        try:
            signer = userhash.Signer(secret, preset, previous=previous, options=options)
        except Exception:  # noqa: BLE001
            return _expect_error(
                code, lambda: userhash.Signer(secret, preset, previous=previous, options=options), "Signer()"
            )
        problems = _expect_error(code, lambda: signer.sign(**fields), "sign")
        problems += _expect_error(code, lambda: signer.sign(fields), "sign(dict)")
        problems += _expect_error(code, lambda: signer.canonical(**fields), "canonical")
        problems += _expect_error(code, lambda: signer.verify("0" * 64, fields), "verify")
        return problems

    expected_canonical, expected_hash = v["canonical"], v["hash"]
    problems = []
    try:
        signer = userhash.Signer(secret, preset, previous=previous, options=options)
        canonical = signer.canonical(**fields)
        if canonical != expected_canonical:
            problems.append(f"canonical {canonical!r}, expected {expected_canonical!r}")
        h = signer.sign(**fields)
        if h != expected_hash:
            problems.append(f"hash {h}, expected {expected_hash}")
        if signer.sign(fields) != expected_hash:
            problems.append("sign(dict) differs from sign(**fields)")
        if not signer.verify(expected_hash, **fields):
            problems.append("verify(hash) is False")
        if signer.verify(_mutate(expected_hash), fields):
            problems.append("verify(changed hash) is True")
    except Exception as e:  # noqa: BLE001
        problems.append(f"raised {type(e).__name__}: {e}")
    try:
        if stdlib_hmac(key_bytes(v), expected_canonical) != expected_hash:
            problems.append("stdlib hmac over the expected canonical disagrees with the vector hash")
    except UnicodeEncodeError:
        problems.append("vector canonical has no UTF-8 form")
    except (ValueError, binascii.Error) as e:
        problems.append(f"the vector's secret does not decode as its secret_encoding: {e}")
    return problems
