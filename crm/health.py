"""Is Rapport's plumbing working? Read by /healthz and the System status page.

Each probe answers quickly (short timeouts) and never raises: a health check
that hangs or crashes is worse than one that says "down".
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis
from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2.0
# Celery's default queue: a Redis list, or one file per message on the filesystem broker.
DEFAULT_QUEUE = "celery"


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    detail: str = ""


def probe_database(settings_dict: dict[str, Any] | None = None) -> Probe:
    """Ask the database for one row, giving up after about PROBE_TIMEOUT_SECONDS.

    PostgreSQL is asked on a connection of its own, with libpq's connect timeout and
    a statement timeout: through Django's pool an outage would wait for the pool's
    30-second timeout, and /healthz would hang instead of saying "down".
    """
    params = settings_dict if settings_dict is not None else connection.settings_dict
    if params["ENGINE"] == "django.db.backends.postgresql":
        return _probe_postgres(params)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check: database unreachable: %s", exc)
        return Probe("database", False, "unreachable")
    return Probe("database", True)


def _probe_postgres(params: dict[str, Any]) -> Probe:
    timeout = max(2, int(PROBE_TIMEOUT_SECONDS))  # libpq's minimum is 2 seconds
    options = {
        "dbname": params.get("NAME") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
    }
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if key in params.get("OPTIONS", {}):
            options[key] = params["OPTIONS"][key]
    try:
        with psycopg.connect(
            **{k: v for k, v in options.items() if v is not None},
            connect_timeout=timeout,
            options=f"-c statement_timeout={timeout * 1000}",
        ) as conn:
            conn.execute("SELECT 1").fetchone()
    except psycopg.Error as exc:
        logger.warning("Health check: database unreachable: %s", exc)
        return Probe("database", False, "unreachable")
    return Probe("database", True)


def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )


def _broker_folder() -> Path:
    return Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])


def broker_kind() -> str:
    return "redis" if str(settings.CELERY_BROKER_URL).startswith("redis") else "filesystem"


def probe_broker() -> Probe:
    if broker_kind() == "redis":
        try:
            with _redis_client() as client:
                client.ping()
        except redis.RedisError as exc:
            logger.warning("Health check: broker unreachable: %s", exc)
            return Probe("broker", False, "unreachable")
        return Probe("broker", True)
    folder = _broker_folder()
    if folder.is_dir():
        return Probe("broker", True)
    logger.warning("Health check: broker folder %s is missing", folder)
    return Probe("broker", False, "folder missing")


def queue_length() -> int | None:
    """Messages waiting in the default queue, or None when the broker cannot say."""
    if broker_kind() == "redis":
        try:
            with _redis_client() as client:
                return int(client.llen(DEFAULT_QUEUE))
        except redis.RedisError:
            return None
    folder = _broker_folder()
    if not folder.is_dir():
        return None
    # The filesystem transport names each message "<time>_<uuid>.<queue>.msg".
    return sum(1 for _ in folder.glob(f"*.{DEFAULT_QUEUE}.msg"))
