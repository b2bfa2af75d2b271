"""`make conformance-python`: runs every vector in USERHASH_VECTORS and prints
exactly one summary line, `python: N passed, M failed` (failures listed before it).
Exit status 1 when anything failed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conformance import check_vector, load_vectors  # noqa: E402

MAX_REPORTED = 20


def main() -> int:
    try:
        vectors = load_vectors()
    except (OSError, ValueError, KeyError) as e:
        print(f"cannot load vectors: {e}")
        print("python: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    for label, vector in vectors:
        problems = check_vector(vector)
        if problems:
            failed += 1
            if failed <= MAX_REPORTED:
                print(f"FAIL {label}: " + "; ".join(problems)[:500])
        else:
            passed += 1
    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
