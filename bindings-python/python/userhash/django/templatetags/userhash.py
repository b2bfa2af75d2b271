"""``{% load userhash %}``: sign identities in templates.

    {% userhash_sign "ensoras" email=request.user.email %}
    {% userhash_sign "inviaro" user_id=request.user.pk as user_hash %}
    {% userhash_sign "fluentbot" visitor=visitor %}

The first argument names an entry of ``settings.USERHASH``; the keywords are the
sign-call fields (``email``, ``user_id``, ``external_id``, ``visitor``). Errors
(an unknown entry, an empty identity…) are raised, never rendered as an empty hash.
"""

from typing import Any

from django import template

from userhash.django import sign

register = template.Library()


@register.simple_tag
def userhash_sign(name: str, **input: Any) -> str:
    """The hex HMAC for ``input`` under the signer ``settings.USERHASH[name]``."""
    return sign(name, **input)
