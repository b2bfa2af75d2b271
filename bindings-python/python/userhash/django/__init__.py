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

import functools
from typing import Any, Mapping, Optional, Union

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from .. import Signer

__all__ = ["get_signer", "sign", "verify", "canonical", "embed", "reset"]

@functools.cache
def get_signer(name: str) -> Signer:
    """The :class:`userhash.Signer` configured as ``settings.USERHASH[name]`` (built on first
    use, then cached until :func:`reset`)."""
    config = getattr(settings, "USERHASH", None)
    entry = config.get(name) if isinstance(config, dict) else None
    where = f"settings.USERHASH[{name!r}]"
    if not isinstance(entry, dict):
        known = ", ".join(sorted(map(str, config))) if isinstance(config, dict) else "USERHASH is not a dict"
        raise ImproperlyConfigured(f"{where} is not a signer configuration (configured: {known or 'none'})")
    unknown, env = sorted(set(entry) - {"preset", "secret", "secret_env", "previous", "previous_env"}), "secret_env" in entry
    if unknown or env == ("secret" in entry) or ("previous" if env else "previous_env") in entry:
        raise ImproperlyConfigured(f"{where} takes 'preset' and either 'secret_env' (previous secrets as 'previous_env')"
                                   f" or 'secret' (and 'previous')" + (f"; unknown keys {unknown}" if unknown else ""))
    preset = entry.get("preset", name)
    return (Signer.from_env(entry["secret_env"], preset, previous_vars=tuple(entry.get("previous_env", ()))) if env
            else Signer(entry["secret"], preset, previous=tuple(entry.get("previous", ()))))


def _signer(name: Union[str, Signer]) -> Signer:
    return name if isinstance(name, Signer) else get_signer(name)


def embed(name: Union[str, Signer], input: Mapping[str, Any], options: Optional[Mapping[str, Any]] = None, /,
          **kw_options: Any) -> str:
    """``get_signer(name).embed(input, options, **kw_options)``: the vendor's widget
    snippet with the identity signed (``name`` may also be a :class:`userhash.Signer`).
    A plain ``str``; the ``userhash_embed`` template tag marks it safe where that is right."""
    return _signer(name).embed(dict(input), None if options is None else dict(options), **kw_options)


def sign(name: str, input: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> str:
    """``get_signer(name).sign(input, **fields)``."""
    return get_signer(name).sign(input, **fields)


def verify(name: str, hash: str, input: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> bool:
    """``get_signer(name).verify(hash, input, **fields)``."""
    return get_signer(name).verify(hash, input, **fields)


def canonical(name: str, input: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> str:
    """``get_signer(name).canonical(input, **fields)``."""
    return get_signer(name).canonical(input, **fields)


def reset(setting: str = "USERHASH", **kwargs: Any) -> None:
    """Forget the cached signers (they are rebuilt from settings and the environment). Also
    Django's ``setting_changed`` receiver: ``override_settings(USERHASH=...)`` calls it."""
    if setting == "USERHASH":
        get_signer.cache_clear()


setting_changed.connect(reset, dispatch_uid="userhash.django.reset")
