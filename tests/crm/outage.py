"""Helpers for tests that take Redis away: a closed port, or a private redis-server."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.test import override_settings
from kombu import pools

from crm.cache import forget_cache_outage
from crm.celery import app
from crm.outbox import forget_broker_outage


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def failsoft_caches(url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "crm.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def _reset_broker_connections() -> None:
    # Closes and forgets every kombu pool, so the next publish connects to the new URL.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Publish for real (tests otherwise run tasks eagerly) to the broker at `url`."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.broker_transport_options = {}
    _reset_broker_connections()
    try:
        yield
    finally:
        (
            app.conf.task_always_eager,
            app.conf.broker_url,
            app.conf.broker_transport_options,
        ) = saved
        _reset_broker_connections()


@contextmanager
def redis_at(url: str) -> Iterator[None]:
    """The cache and the broker both at `url`, as in production."""
    forget_cache_outage()
    try:
        with override_settings(CACHES=failsoft_caches(url)), broker_at(url):
            yield
    finally:
        forget_cache_outage()
        forget_broker_outage()


class PrivateRedis:
    """A redis-server of our own, so a test can stop it (never the shared one on 6379)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.5).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1)
