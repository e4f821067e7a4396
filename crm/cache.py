"""Django's Redis cache, made optional: a Redis outage must never answer a page with 500.

Every page reads the cache (the scheduler banner, the log-in rate limiter, the
dashboard's counts) and Django's RedisCache raises when Redis is unreachable.
`FailSoftRedisCache` catches that once, for every caller: it logs the outage
one time, then serves this process's own memory (a LocMemCache) until Redis
answers again. It does not ask Redis again for RETRY_SECONDS, so a Redis that
hangs rather than refuses costs one request per process a short timeout, not
every request.

What degrades while Redis is down: values are per process instead of shared
(login failure counts still limit guessing, per web process; the worker's
import progress is not seen by the web, which falls back to the saved count).
Values written to memory are not copied back: when Redis returns, what it held
before the outage is used again. That is safe for counters and markers, not for what
is built from a person's data: while Redis is down, a change made in one process
cannot reach another's memory. So caches keyed on an owner's data version
(crm/data_version.py) neither read nor write while Redis is down, and a process that
knew of the outage forgets every data version (FORGOTTEN_AFTER_OUTAGE) before it reads
anything from Redis again: what Redis kept from before the outage is not shown again,
whatever changed meanwhile.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10.0
FALLBACK_NAME = "rapport-redis-fallback"
# The owners' data versions (crm/data_version.py builds its keys from this); forgotten
# when Redis answers again, so a new version starts and old entries are missed.
DATA_VERSION_PREFIX = "rapport:data-version:"
FORGOTTEN_AFTER_OUTAGE = DATA_VERSION_PREFIX + "*"
T = TypeVar("T")
P = ParamSpec("P")


class _Outage:
    """Per process: is Redis known to be down, and when may it be asked again?"""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def should_try(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, exc: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            first = self.down_since is None
            if first:
                self.down_since = now
            self.retry_at = now + RETRY_SECONDS
        if first:
            logger.warning(
                "The cache (Redis) is unreachable; pages use each process's memory until it "
                "answers again: %s",
                exc,
            )

    def recovered(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            was_down = self.down_since is not None
            self.down_since = None
        if was_down:
            logger.warning("The cache (Redis) answers again.")


_outage = _Outage()


def cache_is_down() -> bool:
    """Whether this process last found the cache's Redis unreachable."""
    return _outage.down_since is not None


def forget_cache_outage() -> None:
    """Ask Redis again at the next call (tests, and nothing else, need this)."""
    _outage.down_since = None
    _outage.retry_at = 0.0


def _kept_elsewhere(*_args: Any, **_kwargs: Any) -> Any:
    """The fallback of a delete or clear: memory was already cleared before Redis was asked.

    Answers False, which a delete reports when Redis cannot say it deleted anything.
    """
    return False


class FailSoftRedisCache(RedisCache):
    """RedisCache that falls back to process memory instead of raising (see module doc)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        fallback_params: dict[str, Any] = {
            key: params[key]
            for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if key in params
        }
        fallback_params["OPTIONS"] = {"MAX_ENTRIES": 5000}
        self._fallback = LocMemCache(FALLBACK_NAME, fallback_params)

    def _either(
        self,
        redis_call: Callable[P, T],
        fallback_call: Callable[P, T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`redis_call(*args)`, or `fallback_call(*args)` while Redis is down."""
        if not _outage.should_try():
            return fallback_call(*args, **kwargs)
        try:
            if _outage.down_since is not None:  # asking again after an outage
                self._forget_after_outage()
            result = redis_call(*args, **kwargs)
        except RedisError as exc:
            _outage.failed(exc)
            return fallback_call(*args, **kwargs)
        _outage.recovered()
        return result

    def _forget_after_outage(self) -> None:
        """Delete the keys FORGOTTEN_AFTER_OUTAGE matches (see the module doc), before
        anything is read from Redis again. Raises RedisError while Redis is still down."""
        client = self._cache.get_client(None, write=True)
        batch: list[Any] = []
        for key in client.scan_iter(match=self.make_key(FORGOTTEN_AFTER_OUTAGE), count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._either(super().add, self._fallback.add, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._either(super().get, self._fallback.get, key, default, version)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._either(super().set, self._fallback.set, key, value, timeout, version)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._either(super().touch, self._fallback.touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        # Forget it in memory too: a value set there during an outage must not come back.
        self._fallback.delete(key, version)
        return self._either(super().delete, _kept_elsewhere, key, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._either(super().get_many, self._fallback.get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._either(super().has_key, self._fallback.has_key, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._either(super().incr, self._fallback.incr, key, delta, version)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return self._either(super().set_many, self._fallback.set_many, data, timeout, version)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._fallback.delete_many(keys, version)
        self._either(super().delete_many, _kept_elsewhere, keys, version)

    def clear(self) -> None:
        self._fallback.clear()
        self._either(super().clear, _kept_elsewhere)
