"""Tasks through a real Celery worker: publishing for real, and what such a worker needs.

The worker itself is the `real_worker` fixture (tests/conftest.py).
"""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from crm.celery import app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def not_eager() -> Iterator[None]:
    """Publish to the broker for real (tests otherwise run tasks eagerly, in process)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


def _redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


def require_services() -> None:
    """PostgreSQL and Redis: skipped without them locally, but a failure under CI."""
    problems = []
    if not settings.IS_POSTGRES:
        problems.append("DATABASE_URL is not PostgreSQL")
    if not _redis_reachable():
        problems.append("Redis (REDIS_URL) is not reachable")
    if problems:
        message = "real worker test needs " + " and ".join(problems)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def wait_for_worker(
    worker: subprocess.Popen[bytes],
    log: Path,
    done: Callable[[], bool],
    *,
    what: str,
    seconds: float = 90,
    every: float = 0.5,
) -> None:
    """Wait until `done()`; fail with the end of the worker's log if it dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, log.read_text()[-3000:]
        time.sleep(every)
    pytest.fail(f"{what} within {seconds}s:\n" + log.read_text()[-3000:])
