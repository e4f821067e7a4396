"""/healthz: no login, no data; 200 while the database and broker answer, else 503."""

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from crm import health


@pytest.mark.django_db
def test_it_answers_200_with_no_login_and_no_data(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    # On PostgreSQL the probe opens its own connection: point it at nothing.
    monkeypatch.setitem(health.connection.settings_dict, "PORT", str(_closed_port()))
    monkeypatch.setitem(health.connection.settings_dict, "HOST", "127.0.0.1")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "broker": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_redis_is_down(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nobody listens on: the probe must fail fast, not hang the check.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(health, "PROBE_TIMEOUT_SECONDS", 0.5)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_filesystem_broker_folder_is_gone(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "folder missing"


@pytest.mark.django_db
def test_it_refuses_other_methods(client: Client) -> None:
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_it_is_exempt_from_the_https_redirect(client: Client, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301


def test_it_counts_files_of_the_filesystem_queue(settings: Settings, tmp_path: Path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    for name in ("1_a.celery.msg", "2_b.celery.msg", "3_c.other.msg"):
        (tmp_path / name).write_text("{}")
    assert health.queue_length() == 2


def test_it_measures_the_redis_queue(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "redis://127.0.0.1:6379/7"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = url
    # A queue name of this test's own: a real queue may be in use by a running worker.
    queue = f"rapport-test-queue-{uuid.uuid4().hex}"
    monkeypatch.setattr(health, "DEFAULT_QUEUE", queue)
    client.rpush(queue, "one", "two", "three")
    try:
        assert health.queue_length() == 3
    finally:
        client.delete(queue)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a hung database."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield int(server.getsockname()[1])
    finally:
        server.close()


def test_a_database_that_does_not_answer_is_reported_within_three_seconds(
    silent_server: int,
) -> None:
    params = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "rapport",
        "USER": "rapport",
        "PASSWORD": "x",
        "HOST": "127.0.0.1",
        "PORT": str(silent_server),
    }
    started = time.monotonic()
    probe = health.probe_database(params)
    elapsed = time.monotonic() - started
    assert (probe.ok, probe.detail) == (False, "unreachable")
    assert elapsed < 3.5, f"took {elapsed:.1f} s"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgres_probe_answers_when_the_database_does() -> None:
    if not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    assert health.probe_database().ok
