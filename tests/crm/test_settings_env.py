"""Settings read from the environment: blank database and broker URLs mean the defaults."""

import os

from tests.source_tree import run_python

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE'], bool(settings.REDIS_URL))"
)


def test_blank_database_and_redis_urls_mean_the_embedded_defaults() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "  ",
        "REDIS_URL": "",
        "SECRET_KEY": "settings-test-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }
    shown = run_python("-c", SHOW, env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["django.db.backends.sqlite3", "False"]
