"""Django integration: signers configured in ``settings.USERHASH`` and the
``userhash`` template tag library.

settings.py::

    INSTALLED_APPS = [..., "userhash.django"]
    USERHASH = {
        # name: how to build the signer
        "ensoras": {"secret_env": "ENSORAS_SECRET", "preset": "ensoras"},
        "fluentbot": {
            "secret_env": "FLUENTBOT_SECRET",
            "previous_env": ["FLUENTBOT_SECRET_OLD"],  # still accepted by verify()
            # "preset" defaults to the name
        },
    }

A template: the vendor's whole snippet, signed and escaped (docs/embed.md)::

    {% load userhash %}
    {% userhash_embed "ensoras" email=request.user.email widget="acme" %}

or just the hash::

    {% userhash_sign "ensoras" email=request.user.email %}

Python code::

    from userhash.django import get_signer
    get_signer("ensoras").sign(email=request.user.email)
    embed("ensoras", {"email": request.user.email}, widget="acme")

Each entry takes ``preset`` (default: the entry's name; a preset or a scheme spec),
and the secret either from an environment variable (``secret_env``, recommended) or
given directly (``secret``: str or bytes, e.g. read from a secrets manager in
settings.py); previous secrets likewise via ``previous_env`` or ``previous``.
Signers are built on first use and cached; changing ``USERHASH`` with
``override_settings`` (or calling :func:`reset`) rebuilds them.
"""

import threading
from typing import Any, Dict, Mapping, Optional, Union

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from .. import Signer

__all__ = ["get_signer", "sign", "verify", "canonical", "embed", "reset"]

_signers: Dict[str, Signer] = {}
_lock = threading.Lock()
_KEYS = {"preset", "secret", "secret_env", "previous", "previous_env"}


def _build(name: str) -> Signer:
    config = getattr(settings, "USERHASH", None)
    if not isinstance(config, dict):
        raise ImproperlyConfigured("settings.USERHASH must be a dict of signer configurations")
    if name not in config:
        known = ", ".join(sorted(map(str, config))) or "none"
        raise ImproperlyConfigured(f"settings.USERHASH has no signer {name!r} (configured: {known})")
    entry = config[name]
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"settings.USERHASH[{name!r}] must be a dict")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ImproperlyConfigured(
            f"settings.USERHASH[{name!r}]: unknown keys {sorted(unknown)}; expected {sorted(_KEYS)}"
        )
    preset = entry.get("preset", name)
    if ("secret" in entry) == ("secret_env" in entry):
        raise ImproperlyConfigured(
            f"settings.USERHASH[{name!r}] needs exactly one of 'secret_env' or 'secret'"
        )
    if "previous" in entry and "previous_env" in entry:
        raise ImproperlyConfigured(
            f"settings.USERHASH[{name!r}] takes 'previous_env' or 'previous', not both"
        )
    if "secret_env" in entry:
        if "previous" in entry:
            raise ImproperlyConfigured(
                f"settings.USERHASH[{name!r}]: with 'secret_env' give previous secrets as 'previous_env'"
            )
        return Signer.from_env(
            entry["secret_env"], preset, previous_vars=tuple(entry.get("previous_env", ()))
        )
    if "previous_env" in entry:
        raise ImproperlyConfigured(
            f"settings.USERHASH[{name!r}]: with 'secret' give previous secrets as 'previous'"
        )
    return Signer(entry["secret"], preset, previous=tuple(entry.get("previous", ())))


def get_signer(name: str) -> Signer:
    """The :class:`userhash.Signer` configured as ``settings.USERHASH[name]``."""
    signer = _signers.get(name)
    if signer is None:
        with _lock:
            signer = _signers.get(name)
            if signer is None:
                signer = _signers[name] = _build(name)
    return signer


def _signer(name: Union[str, Signer]) -> Signer:
    return name if isinstance(name, Signer) else get_signer(name)


def embed(
    name: Union[str, Signer],
    input: Mapping[str, Any],
    options: Optional[Mapping[str, Any]] = None,
    /,
    **kw_options: Any,
) -> str:
    """``get_signer(name).embed(input, options, **kw_options)``: the vendor's widget
    snippet with the identity signed (``name`` may also be a :class:`userhash.Signer`).
    A plain ``str``; the ``userhash_embed`` template tag marks it safe where that is right."""
    return _signer(name).embed(dict(input), None if options is None else dict(options), **kw_options)


def sign(name: str, **input: Any) -> str:
    """``get_signer(name).sign(**input)``."""
    return get_signer(name).sign(**input)


def verify(name: str, hash: str, **input: Any) -> bool:
    """``get_signer(name).verify(hash, **input)``."""
    return get_signer(name).verify(hash, **input)


def canonical(name: str, **input: Any) -> str:
    """``get_signer(name).canonical(**input)``."""
    return get_signer(name).canonical(**input)


def reset() -> None:
    """Forget the cached signers (they are rebuilt from settings and the environment)."""
    with _lock:
        _signers.clear()


def _on_setting_changed(setting: str = "", **kwargs: Any) -> None:
    if setting == "USERHASH":
        reset()


setting_changed.connect(_on_setting_changed, dispatch_uid="userhash.django.reset")
