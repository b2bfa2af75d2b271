"""userhash: identity-verification hashes for chat widgets, byte-identical to the vendors' Node.js snippets.

    >>> import userhash
    >>> signer = userhash.Signer("s3cr3t", "ensoras")
    >>> signer.canonical(email="Alice@Example.COM")
    'alice@example.com'
    >>> signer.sign(email="Alice@Example.COM")
    'ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995'

``userhash.PRESETS`` lists the presets the core knows; a scheme spec ``source[:transform]``
such as ``"email:trim_lowercase"`` works too.
"""

from . import _errors
from ._errors import *  # noqa: F403 - UserhashError, one class per core error code, ERROR_CLASSES, ERROR_CODES
from ._native import Diagnosis
from ._userhash import MAX_DEPTH, PRESETS, Signer, __version__

__all__ = ["Signer", "Diagnosis", *_errors.__all__, "MAX_DEPTH", "PRESETS", "__version__"]
