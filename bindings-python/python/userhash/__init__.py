"""userhash: identity-verification hashes for chat widgets, byte-identical to the vendors' Node.js snippets.

    >>> import userhash
    >>> signer = userhash.Signer("s3cr3t", "ensoras")
    >>> signer.canonical(email="Alice@Example.COM")
    'alice@example.com'
    >>> signer.sign(email="Alice@Example.COM")
    'ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995'

Presets: ``layerup``, ``inviaro``, ``ensoras``, ``supportwire``, ``fluentbot``; or a
scheme spec ``source[:transform]`` such as ``"email:trim_lowercase"``.
"""

from ._errors import (
    ERROR_CLASSES,
    EmptyIdentityError,
    EmptySecretError,
    InvalidInputError,
    InvalidJsonError,
    InvalidUtf8Error,
    TooDeepError,
    UnknownPresetError,
    UserhashError,
)
from ._userhash import ERROR_CODES, MAX_DEPTH, Signer, __version__

PRESETS = ("layerup", "inviaro", "ensoras", "supportwire", "fluentbot")

__all__ = [
    "Signer",
    "UserhashError",
    "EmptySecretError",
    "EmptyIdentityError",
    "InvalidInputError",
    "InvalidJsonError",
    "InvalidUtf8Error",
    "TooDeepError",
    "UnknownPresetError",
    "ERROR_CLASSES",
    "ERROR_CODES",
    "MAX_DEPTH",
    "PRESETS",
    "__version__",
]
