"""``{% load userhash %}``: sign identities and render the vendors' widget snippets.

    {% userhash_sign "ensoras" email=request.user.email %}
    {% userhash_sign "inviaro" user_id=request.user.pk as user_hash %}
    {% userhash_sign "fluentbot" visitor=visitor %}

    {% userhash_embed "ensoras" email=request.user.email widget="acme" nonce=request.csp_nonce %}
    {% userhash_embed "inviaro" user_id=user.pk widget="wt_1" name=user.get_full_name email=user.email %}
    {% userhash_embed "fluentbot" visitor=visitor widget="BOT_ID" %}
    {% userhash_embed "layerup" email=user.email widget="wk_1" form="url" as webview_url %}
    {% userhash_embed signer input options %}

The first argument names an entry of ``settings.USERHASH`` (or is a ``userhash.Signer``).
For ``userhash_sign`` the keywords are the sign-call fields (``email``, ``user_id``,
``external_id``, ``visitor``). For ``userhash_embed`` a keyword naming a field the signer
signs (``signer.fields``: the snake_case names) is the identity, and every other keyword an
embed option (``widget``, ``form``, ``nonce``, ``origin``, ``name``, ``email``, ``data``;
docs/embed.md), so Inviaro's ``email=`` is its display email; or pass the input dict and an
options dict as positional arguments. Errors (an unknown entry, an empty identity, a bad option…) are raised, never
rendered as an empty hash or snippet.

``userhash_embed`` returns the snippet marked safe for forms ``script`` and ``identify``
(the core escaped every value for the ``<script>`` or attribute it lands in), and a plain
string for form ``url``, so Django's autoescaping applies when you put the URL in an
attribute (``href="{{ webview_url }}"``).
"""

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from userhash.django import _signer, embed, sign

register = template.Library()


# {% userhash_sign name field=value... %}: the hex HMAC under the signer settings.USERHASH[name].
register.simple_tag(sign, name="userhash_sign")


@register.simple_tag
def userhash_embed(_userhash_signer: Any, input: Any = None, options: Any = None, **kwargs: Any) -> str:
    """The vendor's snippet for the signer ``settings.USERHASH[name]`` (see the module doc)."""
    # (Not called `name`: that is an Inviaro option keyword.)
    signer = _signer(_userhash_signer)
    input, options = dict(input or {}), dict(options or {})
    for key, value in kwargs.items():
        (input if key in signer.fields else options)[key] = value
    snippet = embed(signer, input, options)
    return snippet if options.get("form") == "url" else mark_safe(snippet)  # noqa: S308 - escaped by the core
