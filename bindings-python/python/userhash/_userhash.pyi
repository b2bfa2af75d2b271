from typing import Iterable, List, Literal, Optional, Union


__version__: str
MAX_DEPTH: int
ERROR_CODES: List[str]

JSONValue = Union[None, bool, int, float, str, List["JSONValue"], tuple, dict]
Secret = Union[str, bytes, bytearray]
FieldName = Literal["email", "user_id", "userId", "external_id", "externalId", "visitor"]

class Signer:
    """Signs identities for one widget.

    ``secret``: ``str`` (its UTF-8 bytes are the HMAC key) or ``bytes``.
    ``preset``: ``layerup``, ``inviaro``, ``ensoras``, ``supportwire``, ``fluentbot``,
    or a scheme spec ``source[:transform]``.
    ``previous``: older secrets that ``verify`` still accepts (rotation).

    Raises ``EmptySecretError`` or ``UnknownPresetError``. Safe to share across threads.
    """

    def __init__(
        self, secret: Secret, preset: str, *, previous: Iterable[Secret] = ()
    ) -> None: ...
    @staticmethod
    def from_env(
        var: str, preset: str, *, previous_vars: Iterable[str] = ()
    ) -> "Signer":
        """Reads the secret from environment variable ``var``; unset or empty raises
        ``EmptySecretError`` naming the variable."""
    def sign(
        self,
        *,
        email: str = ...,
        user_id: Union[str, int] = ...,
        external_id: Union[str, int, None] = ...,
        visitor: "dict[str, JSONValue]" = ...,
        userId: Union[str, int] = ...,
        externalId: Union[str, int, None] = ...,
    ) -> str:
        """The 64-digit lowercase hex HMAC-SHA256 of the canonical identity."""
    def sign_many(
        self, values: Iterable[JSONValue], *, field: Optional[FieldName] = None
    ) -> List[str]:
        """Signs a batch: each item goes into ``field`` (default: the preset's batch
        field, ``email`` / ``user_id`` / ``visitor``; ``supportwire`` needs one) and
        the result holds each hex hash, in order. Large batches are hashed on every
        core with the GIL released. The first bad item fails the whole call, and the
        error names its index (``item 7: ...``)."""
    def verify(
        self,
        hash: str,
        *,
        email: str = ...,
        user_id: Union[str, int] = ...,
        external_id: Union[str, int, None] = ...,
        visitor: "dict[str, JSONValue]" = ...,
        userId: Union[str, int] = ...,
        externalId: Union[str, int, None] = ...,
    ) -> bool:
        """Constant-time check against the current and previous secrets; a malformed hash is False."""
    def canonical(
        self,
        *,
        email: str = ...,
        user_id: Union[str, int] = ...,
        external_id: Union[str, int, None] = ...,
        visitor: "dict[str, JSONValue]" = ...,
        userId: Union[str, int] = ...,
        externalId: Union[str, int, None] = ...,
    ) -> str:
        """The exact string that gets signed."""
    def embed(
        self,
        input: "dict[str, JSONValue]",
        options: Optional["dict[str, JSONValue]"] = None,
        /,
        *,
        widget: str = ...,
        form: Literal["script", "url", "identify"] = ...,
        nonce: Optional[str] = ...,
        origin: Optional[str] = ...,
        name: Optional[str] = ...,
        email: Optional[str] = ...,
        data: "Optional[dict[str, JSONValue]]" = ...,
    ) -> str:
        """The vendor's widget snippet for this signer's preset (docs/embed.md), with the
        identity in ``input`` (the fields of ``sign``: ``{"email": ...}``) signed and every
        value escaped for where it lands: HTML for form ``script`` (the default), a URL for
        ``url`` (Layerup), a JavaScript statement for ``identify`` (Inviaro, Ensoras).

        Options, as a dict and/or keywords: ``widget`` (required), ``form``, ``nonce`` (CSP,
        form ``script``), ``origin``, ``name``, ``email`` (Inviaro), ``data`` (SupportWire).
        An unknown, mistyped or repeated option is ``InvalidInputError``; input errors are
        those of ``sign``."""
    @property
    def preset(self) -> str: ...
    @property
    def previous_count(self) -> int: ...
