"""Settings read from the environment: blank database and broker URLs mean the defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["django.db.backends.sqlite3", "False"]
