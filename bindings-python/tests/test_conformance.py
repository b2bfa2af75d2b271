"""Golden vectors (docs/design.md, "Golden vectors") through the public Signer API: canonical, hash,
verify true/false, error codes, and the hash again with stdlib hmac."""

import pytest

from conformance import check_vector, load_vectors

VECTORS = load_vectors()


def test_vectors_found():
    assert VECTORS, "no vectors found (USERHASH_VECTORS or tests/vectors)"


@pytest.mark.parametrize("vector", [v for _, v in VECTORS], ids=[label for label, _ in VECTORS])
def test_vector(vector):
    problems = check_vector(vector)
    assert not problems, "\n".join(problems)
