"""The fail-soft Redis cache: an unreachable Redis degrades to memory, logged once."""

import logging
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings

from crm import cache as failsoft
from tests.crm.outage import failsoft_caches, free_port


@pytest.fixture
def unreachable() -> Iterator[failsoft.FailSoftRedisCache]:
    with override_settings(CACHES=failsoft_caches(f"redis://127.0.0.1:{free_port()}/0")):
        backend = caches["default"]
        assert isinstance(backend, failsoft.FailSoftRedisCache)
        yield backend


def test_reads_and_writes_fall_back_to_memory(unreachable: failsoft.FailSoftRedisCache) -> None:
    assert unreachable.get("missing", "default") == "default"
    unreachable.set("seen", 1, 60)
    assert unreachable.get("seen") == 1
    assert unreachable.add("seen", 5) is False
    assert unreachable.incr("seen") == 2
    assert unreachable.get_many(["seen", "missing"]) == {"seen": 2}
    assert unreachable.delete("seen") is False
    assert unreachable.get("seen") is None
    with pytest.raises(ValueError):
        unreachable.incr("missing")  # Django's contract for a missing key, as on Redis
    assert failsoft.cache_is_down()


def test_the_outage_is_logged_once(
    unreachable: failsoft.FailSoftRedisCache, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="crm.cache"):
        for n in range(5):
            unreachable.set(f"k{n}", n)
            unreachable.get(f"k{n}")
    assert [r.getMessage()[:35] for r in caplog.records] == ["The cache (Redis) is unreachable; p"]


def test_redis_is_not_asked_again_until_the_retry_time(
    unreachable: failsoft.FailSoftRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable.get("first")  # finds Redis down
    calls: list[str] = []
    monkeypatch.setattr(failsoft.RedisCache, "get", lambda *args, **kwargs: calls.append("asked"))
    monkeypatch.setattr(
        failsoft.FailSoftRedisCache, "_forget_after_outage", lambda self: calls.append("forgot")
    )
    unreachable.get("second")
    assert calls == []
    monkeypatch.setattr(failsoft._outage, "retry_at", 0.0)
    unreachable.get("third")
    # Asked again after an outage, it first forgets the data versions (module doc).
    assert calls == ["forgot", "asked"]
    assert not failsoft.cache_is_down()  # it answered: the outage is over
    unreachable.get("fourth")
    assert calls == ["forgot", "asked", "asked"]


@pytest.mark.skipif(
    not isinstance(caches["default"], failsoft.FailSoftRedisCache), reason="needs REDIS_URL"
)
def test_a_reachable_redis_is_used(db: None) -> None:
    caches["default"].set("shared", "yes")
    assert caches["default"].get("shared") == "yes"
    assert not failsoft.cache_is_down()
