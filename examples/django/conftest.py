"""Runs the example's Django tests under plain pytest: configure Django, create the
test database once per session (what `manage.py test` would do)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exampleproject.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

_old_db_name = None


def pytest_sessionstart(session):
    global _old_db_name
    setup_test_environment()
    _old_db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)


def pytest_sessionfinish(session, exitstatus):
    if _old_db_name is not None:
        connection.creation.destroy_test_db(_old_db_name, verbosity=0)
        teardown_test_environment()
