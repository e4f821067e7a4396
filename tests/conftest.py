import os
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# Playwright drives Chromium from its own thread; Django's async-safety guard
# would otherwise refuse the live server's database work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The property tests check date rules, not speed: hypothesis's 200 ms per-example
# deadline only measures how busy the (shared, two-core) CI machine is.
hypothesis_settings.register_profile("rapport", deadline=None)
hypothesis_settings.load_profile("rapport")


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
