"""The suite keeps to its own cache keys: it never flushes the Redis database it is given."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from tests.conftest import clear_test_cache


def test_it_gives_this_session_a_cache_prefix_of_its_own() -> None:
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("rapport-test-") and len(prefix) > len("rapport-test-")
    # Processes a test starts (a real worker) inherit it.
    assert os.environ["CACHE_KEY_PREFIX"] == prefix
    assert cache.make_key("k").startswith(f"{prefix}:")


def test_clearing_the_test_cache_leaves_other_keys_in_redis_alone() -> None:
    if not isinstance(caches["default"], RedisCache):
        if os.environ.get("CI") and settings.REDIS_URL:
            pytest.fail("REDIS_URL is set but the cache is not Redis")
        pytest.skip("needs REDIS_URL")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    someone_else = f"rapport:someone-else:{uuid.uuid4().hex}"
    client.set(someone_else, "keep me", ex=60)
    try:
        cache.set("mine", 1)
        cache.set("also-mine", 2, None)
        clear_test_cache()
        assert cache.get("mine") is None and cache.get("also-mine") is None
        assert client.get(someone_else) == b"keep me"
    finally:
        client.delete(someone_else)
