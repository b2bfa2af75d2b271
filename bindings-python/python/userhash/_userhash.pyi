from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, final

from ._native import Diagnosis

__all__ = ["MAX_DEPTH", "PRESETS", "Signer", "_DIAGNOSIS_KEYS", "_ERROR_CODES", "__version__"]
__version__: str
MAX_DEPTH: int
PRESETS: Tuple[str, ...]
_ERROR_CODES: List[Tuple[str, str]]
_DIAGNOSIS_KEYS: List[str]

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
        **fields: _JSONValue,
    ) -> str:
        """The 64-digit lowercase hex HMAC-SHA256 of the canonical identity. The fields
        come as a dict, as keywords, or both; the core checks every name, aliases
        (``userId``) and fields the core adds later included. (The runtime signature is
        ``sign(input=None, /, **fields)``; the fields are listed here for type checkers.)"""
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
    def token(
        self,
        input: Optional[Mapping[str, _JSONValue]] = None,
        /,
        *,
        kid: Optional[str] = None,
        ttl: Optional[int] = None,
        now: Optional[int] = None,
        claims: Optional[Mapping[str, _JSONValue]] = None,
        **fields: _JSONValue,
    ) -> str:
        """An HS256 JWT for this signer's token preset (``zendesk``, ``intercom_jwt``, …;
        docs/tokens.md), byte for byte what Node's ``jsonwebtoken`` writes. The identity as
        for ``sign``; ``kid``: the header's key id (Zendesk requires one); ``ttl``: seconds
        until ``exp``; ``now``: unix seconds for ``iat`` (default: the clock); ``claims``:
        extra claims the preset allows. A missing or mistyped claim raises
        ``InvalidInputError`` / ``EmptyIdentityError`` naming it."""
    def verify_token(
        self,
        token: str,
        *,
        now: Optional[int] = None,
        leeway: Optional[int] = None,
        kids: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """The token's claims when it is a valid HS256 JWT for this signer's preset under the
        current or a previous secret, at ``now`` (default: the clock) give or take ``leeway``
        seconds (default 60). ``kids``: the key ids of the current and each previous secret,
        in order (a token's ``kid`` then picks its secret). Raises ``InvalidTokenError``
        (malformed, ``alg`` other than HS256, a missing claim), ``BadSignatureError``,
        ``UnknownKidError``, ``TokenExpiredError`` or ``TokenNotYetValidError``."""
    def diagnose(self, hash: str, input: Optional[Mapping[str, _JSONValue]] = None, /, **fields: _JSONValue) -> Diagnosis:
        """Why ``hash`` does not match this identity (docs/doctor.md): the known mistake (another
        field, another language's lowercase or trim, a JSON serializer, a secret with a
        newline, uppercase hex, …) that reproduces it, or ``matched=False`` when none does
        (another secret or another identity). Never contains the secret."""
    @property
    def preset(self) -> str: ...
    @property
    def fields(self) -> List[str]: ...
    @property
    def previous_count(self) -> int: ...
