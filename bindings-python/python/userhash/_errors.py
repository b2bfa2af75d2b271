"""userhash exceptions: one class per stable error code (the same codes in every language)."""

from typing import Dict, Type

__all__ = [
    "UserhashError",
    "EmptySecretError",
    "EmptyIdentityError",
    "InvalidInputError",
    "InvalidJsonError",
    "InvalidUtf8Error",
    "TooDeepError",
    "UnknownPresetError",
    "ERROR_CLASSES",
]


class UserhashError(ValueError):
    """Base class of every userhash error.

    ``code`` is the stable snake_case error code (``"invalid_input"``, …);
    ``str(err)`` is the message, which names the offending field or path
    (``visitor.data.created_at: datetime is not a JSON value``) and never
    contains a secret.
    """

    code: str = "userhash_error"

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class EmptySecretError(UserhashError):
    """The secret (or a previous secret, or its environment variable) is missing or empty."""

    code = "empty_secret"


class EmptyIdentityError(UserhashError):
    """The identity is empty after the preset's normalization; userhash never signs it."""

    code = "empty_identity"


class InvalidInputError(UserhashError):
    """A field is missing, unexpected, or of a type the preset cannot sign."""

    code = "invalid_input"


class InvalidJsonError(UserhashError):
    """JSON text could not be parsed."""

    code = "invalid_json"


class InvalidUtf8Error(UserhashError):
    """Bytes that must be UTF-8 are not."""

    code = "invalid_utf8"


class TooDeepError(UserhashError):
    """A visitor payload nests deeper than ``userhash.MAX_DEPTH`` levels."""

    code = "too_deep"


class UnknownPresetError(UserhashError):
    """The preset or scheme name is not known."""

    code = "unknown_preset"


ERROR_CLASSES: Dict[str, Type[UserhashError]] = {
    cls.code: cls
    for cls in (
        EmptySecretError,
        EmptyIdentityError,
        InvalidInputError,
        InvalidJsonError,
        InvalidUtf8Error,
        TooDeepError,
        UnknownPresetError,
    )
}
