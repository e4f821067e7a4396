"""Test settings: the real settings, with a throwaway key and fast hashing.

DATABASE_URL and REDIS_URL still choose PostgreSQL and Redis, as in CI.
"""

import os
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)
# Every test session (and xdist worker) keeps its cache keys under a prefix of its own, so
# with REDIS_URL the suite clears only its own keys, never the whole database
# (tests/conftest.py). A real worker started by a test gets the same prefix.
os.environ["CACHE_KEY_PREFIX"] = TEST_CACHE_PREFIX = f"rapport-test-{uuid.uuid4().hex[:12]}"

from crm.settings import *  # noqa: F403

if not REDIS_URL:  # noqa: F405
    # In memory, per test process: the file cache `make run` uses would be shared by
    # every test session on the machine (and outlive them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": TEST_CACHE_PREFIX,
        }
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
BASE_URL = "https://rapport.example.com"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "rapport.example.com"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: the browser journeys' live server
    # answers from several threads, and in shared-cache memory a write in one thread
    # makes another fail at once with "database table is locked", where a file database
    # waits its turn (WAL, the busy timeout) as `make run`'s does.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"{TEST_CACHE_PREFIX}.sqlite3")
    }
