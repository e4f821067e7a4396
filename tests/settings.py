"""Test settings: the real settings, with a throwaway key and fast hashing.

DATABASE_URL and REDIS_URL still choose PostgreSQL and Redis, as in CI.
"""

import os
import uuid

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
