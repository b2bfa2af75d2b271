from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = ["MAX_DEPTH", "PRESETS", "Signer", "_ERROR_CODES", "__version__"]
__version__: str
MAX_DEPTH: int
PRESETS: Tuple[str, ...]
_ERROR_CODES: List[Tuple[str, str]]

_JSONValue = Union[None, bool, int, float, str, List["_JSONValue"], tuple, Mapping[str, Any]]
_Secret = Union[str, bytes, bytearray]

@final
class Signer:
    """Signs identities for one widget.

    ``secret``: ``str`` (its UTF-8 bytes are the HMAC key) or ``bytes``.
    ``preset``: one of ``userhash.PRESETS``, or a scheme spec ``source[:transform]``.
    ``previous``: older secrets that ``verify`` still accepts (rotation).
    ``options``: signer options, checked by the core.

    Raises ``EmptySecretError``, ``UnknownPresetError`` or ``InvalidInputError``.
    Safe to share across threads.
    """

    def __new__(
        cls,
        secret: Optional[_Secret],
        preset: str,
        *,
        previous: Optional[Sequence[Optional[_Secret]]] = None,
        options: Optional[Mapping[str, _JSONValue]] = None,
    ) -> "Signer": ...
    @staticmethod
    def from_env(var: str, preset: str, *, previous_vars: Optional[Iterable[str]] = None) -> "Signer":
        """Reads the secret from environment variable ``var``; unset or empty raises
        ``EmptySecretError`` naming the variable."""
    def sign(
        self,
        input: Optional[Mapping[str, _JSONValue]] = None,
        /,
        *,
        email: _JSONValue = ...,
        user_id: _JSONValue = ...,
        external_id: _JSONValue = ...,
        visitor: _JSONValue = ...,
        name: _JSONValue = ...,
        userId: _JSONValue = ...,
        externalId: _JSONValue = ...,
    ) -> str:
        """The 64-digit lowercase hex HMAC-SHA256 of the canonical identity. The fields
        come as a dict, as keywords, or both; the core checks every name. The keywords
        are the fields (and aliases) the core knows today, named so that a call builds no
        dict; a field the core adds later works in the dict."""
    def verify(
        self, hash: object, input: Optional[Mapping[str, _JSONValue]] = None, /, **fields: _JSONValue
    ) -> bool:
        """Constant-time check against the current and previous secrets; a malformed hash
        is False. Fields as for ``sign``, any keyword going to the core."""
    def canonical(self, input: Optional[Mapping[str, _JSONValue]] = None, /, **fields: _JSONValue) -> str:
        """The exact string that gets signed."""
    def sign_many(self, values: Iterable[_JSONValue], *, field: Optional[str] = None) -> List[str]:
        """Signs a batch: each item goes into ``field`` (default: the scheme's own) and the
        result holds each hex hash, in order. The first bad item fails the whole call; the
        error's ``item`` is its index (``item 7: ...``)."""
    def embed(
        self,
        input: Mapping[str, _JSONValue],
        options: Optional[Mapping[str, _JSONValue]] = None,
        /,
        **kw_options: _JSONValue,
    ) -> str:
        """The vendor's widget snippet for this signer's preset (docs/embed.md), with the
        identity in ``input`` (the fields of ``sign``: ``{"email": ...}``) signed and every
        value escaped for where it lands. Options, as a dict and/or keywords: ``widget``
        (required), ``form``, ``nonce``, ``origin``, ``name``, ``email``, ``data``; the core
        checks which the preset takes."""
    @property
    def preset(self) -> str: ...
    @property
    def fields(self) -> List[str]: ...
    @property
    def previous_count(self) -> int: ...
