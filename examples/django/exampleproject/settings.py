"""A minimal project: one page that embeds the Ensoras chat widget and hands it a
userhash-signed identity for the logged-in user.

Run it:  export ENSORAS_SECRET=...; python manage.py migrate; python manage.py runserver
"""

import os
from pathlib import Path

import userhash

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "example-only-not-a-secret"  # Django's own key; the widget secret comes from the env
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "userhash.django",  # the {% load userhash %} template tags
    "widget",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "exampleproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One signer per widget vendor; the secret is read from the environment on first use.
USERHASH = {
    "ensoras": {"secret_env": "ENSORAS_SECRET", "preset": "ensoras"},
}
# The Ensoras widget slug from the vendor's dashboard.
ENSORAS_WIDGET = os.environ.get("ENSORAS_WIDGET", "YOUR_SLUG")

# Test only (tests/browser, docs/embed.md): USERHASH_EMBED_TEST_ROUTE=1 adds the route
# POST /userhash/embed and one signer per preset with the secret USERHASH_SECRET. Never
# set it in production: the route takes any identity and has no CSRF protection.
EMBED_TEST_ROUTE = os.environ.get("USERHASH_EMBED_TEST_ROUTE") == "1"
if EMBED_TEST_ROUTE:
    for _preset in userhash.PRESETS:  # every preset the core knows, read at startup
        USERHASH[f"browser-{_preset}"] = {"secret_env": "USERHASH_SECRET", "preset": _preset}
