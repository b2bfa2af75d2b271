from django.apps import AppConfig


class UserhashConfig(AppConfig):
    """Add ``"userhash.django"`` to INSTALLED_APPS for the ``{% load userhash %}`` tags."""

    name = "userhash.django"
    label = "userhash"
