import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory
from tests.workers import ROOT, require_services

# Playwright drives Chromium from its own thread; Django's async-safety guard
# would otherwise refuse the live server's database work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The property tests check date rules, not speed: hypothesis's 200 ms per-example
# deadline only measures how busy the (shared, two-core) CI machine is.
hypothesis_settings.register_profile("rapport", deadline=None)
hypothesis_settings.load_profile("rapport")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translation catalogs as `make test` does, so a bare pytest reads them too
    (only those whose .po changed; nothing without GNU gettext, which CI always has)."""
    if shutil.which("msgfmt"):
        subprocess.run(["sh", "docker/compile_messages.sh", "crm/locale"], cwd=ROOT, check=True)


@pytest.fixture
def user(db) -> User:
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db) -> User:
    return UserFactory(username="mallory")


@pytest.fixture
def auth_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_user: User) -> Client:
    """Logged in as Mallory, who must never reach Alice's rows."""
    client = Client()
    client.force_login(other_user)
    return client


def clear_test_cache() -> None:
    """Empty this session's cache without touching anyone else's keys.

    Django's RedisCache.clear() is FLUSHDB: it would wipe the whole Redis database named
    by REDIS_URL, including a running Rapport's cache and Celery queue. On Redis, delete
    only the keys under this session's prefix (tests/settings.py); the in-memory cache
    belongs to this process, so clearing it is safe.
    """
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("rapport-test-"), "tests must not clear an unprefixed cache"
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: login failure counts (crm/ratelimit.py) and
    the cached scheduler state would otherwise leak from one test into the next."""
    from crm.cache import forget_cache_outage
    from crm.outbox import forget_broker_outage

    clear_test_cache()
    # A Redis outage one test staged must not put a banner on the next one's pages.
    forget_cache_outage()
    forget_broker_outage()


@pytest.fixture(autouse=True, scope="session")
def _no_cache_left_behind() -> Iterator[None]:
    """Leave nothing in a shared Redis after the session (version keys never expire)."""
    yield
    clear_test_cache()


@pytest.fixture
def real_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a real Celery worker on Redis with the pool options given (`--pool=solo`).

    It uses this test's database (a `transaction=True` test's rows are visible to it) and
    writes its log to `tmp_path / "worker.log"`; it is stopped after the test.
    """
    from django.conf import settings
    from django.db import connection

    require_services()
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
        # The web's key, as in production: it also decrypts what the web encrypted.
        "SECRET_KEY": settings.SECRET_KEY,
        "REDIS_URL": settings.REDIS_URL,
        # The worker's cache writes (heartbeat, progress) go under this session's prefix,
        # so the clean-up above finds them.
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "RAPPORT_VAR_DIR": str(tmp_path),
        "DATABASE_POOL": "false",
    }
    log = (tmp_path / "worker.log").open("w")
    started: list[subprocess.Popen[bytes]] = []

    def start(*pool: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "celery", "-A", "crm", "worker", *pool,
                   "--loglevel=INFO", "--without-gossip", "--without-mingle",
                   "--without-heartbeat"]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        log.close()
