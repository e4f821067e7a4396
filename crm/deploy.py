"""The start-up steps of a production container, as plain functions.

docker/entrypoint.sh runs them through `manage.py bootstrap` (and
`manage.py wait_for_db`), so each step is testable on its own and the same on
every role: web, worker and beat.
"""

import fcntl
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http.request import validate_host

from crm.env import envsecret

# pg_advisory_lock key of the migration step: "Rapp" as a 32-bit integer.
MIGRATION_LOCK_KEY = 0x52617070
# Answers of a running server that no amount of waiting fixes, and what to do about each.
# psycopg reports connection failures without a SQLSTATE, so the server's words decide.
REFUSED_FOR_GOOD = (
    (
        re.compile(r"password authentication failed|password must be a string"),
        "Check POSTGRES_PASSWORD (or DATABASE_URL): the bundled database keeps the password "
        "it was first created with, whatever .env says now.",
    ),
    (
        re.compile(r'role "[^"]*" does not exist|no pg_hba\.conf entry'),
        "Check POSTGRES_USER (or DATABASE_URL) and the server's pg_hba.conf.",
    ),
    (
        re.compile(r'database "[^"]*" does not exist'),
        "Check POSTGRES_DB (or DATABASE_URL): that database does not exist.",
    ),
)
PLACEHOLDER_SECRETS = ("change", "example", "secret-key", "your-", "django-insecure")


class DeployError(Exception):
    """A start-up step cannot go on; the message says what to fix."""


def production_problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """What stops this configuration from running in production (DEBUG off).

    The settings fall back to development-friendly defaults (localhost hosts
    and base URL); in production each of these must be set on purpose.
    """
    env = os.environ if environ is None else environ
    if settings.DEBUG:
        return []
    problems = []
    key = envsecret("SECRET_KEY", environ=env).strip()
    if not key:
        problems.append(
            "SECRET_KEY is not set. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    elif len(key) < 50 or len(set(key)) < 5:
        problems.append("SECRET_KEY is too short: use at least 50 random characters.")
    elif any(marker in key.lower() for marker in PLACEHOLDER_SECRETS):
        problems.append("SECRET_KEY looks like a placeholder: generate a random one.")

    hosts = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts:
        problems.append("ALLOWED_HOSTS is not set: list the host names Rapport answers to.")
    elif "*" in hosts:
        problems.append("ALLOWED_HOSTS must name your hosts, not '*'.")

    base_url = env.get("BASE_URL", "").strip()
    if not base_url:
        problems.append(
            "BASE_URL is not set: the public address of Rapport, e.g. https://crm.example.com "
            "(links in emails are built from it)."
        )
    elif hosts and "*" not in hosts:
        host = urlsplit(base_url).hostname or ""
        if not validate_host(host, hosts):
            problems.append(
                f"BASE_URL's host {host!r} is not in ALLOWED_HOSTS ({', '.join(hosts)})."
            )
    return problems


def _connect_once(alias: str, *, connect_timeout: int) -> None:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return
    # Straight to the server: Django's pool would wait 30 s per attempt for a slot.
    import psycopg

    config = connection.settings_dict
    params = {
        key: value
        for key, value in {
            "dbname": config["NAME"],
            "user": config["USER"],
            "password": config["PASSWORD"],
            "host": config["HOST"],
            "port": config["PORT"],
        }.items()
        if value
    }
    options: dict[str, Any] = {
        k: v for k, v in config.get("OPTIONS", {}).items() if isinstance(v, str | int)
    }
    try:
        with psycopg.connect(connect_timeout=connect_timeout, **options, **params) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        message = str(exc).strip()
        for pattern, advice in REFUSED_FOR_GOOD:
            if match := pattern.search(message):
                # The server answered and said no: waiting will not change its mind.
                reason = message[match.start() :].splitlines()[0]
                raise DeployError(f"The database refused Rapport: {reason}. {advice}") from exc
        raise OperationalError(message) from exc


def wait_for_database(
    *, timeout: float, interval: float = 1.0, alias: str = DEFAULT_DB_ALIAS
) -> int:
    """Block until the database answers; return how many attempts it took."""
    deadline = time.monotonic() + timeout
    attempts = 0
    while True:
        attempts += 1
        try:
            _connect_once(alias, connect_timeout=max(1, min(5, int(timeout))))
            return attempts
        except OperationalError as exc:
            if time.monotonic() + interval > deadline:
                raise DeployError(
                    f"The database did not answer within {timeout:g} s: {exc}".strip()
                ) from exc
            time.sleep(interval)


@contextmanager
def migration_lock(*, timeout: float, alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Hold one lock across every process that starts at the same moment.

    PostgreSQL: a session advisory lock, so replicas on different machines
    queue up. SQLite: a file lock next to the database (one machine anyway).
    """
    connection = connections[alias]
    if connection.vendor == "postgresql":
        deadline = time.monotonic() + timeout
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise DeployError(
                        f"Another process held the migration lock for over {timeout:g} s."
                    )
                time.sleep(0.25)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        return
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only
        lock_path = Path(tempfile.gettempdir()) / "rapport-memorydb.migrate.lock"
    else:
        lock_path = Path(str(connection.settings_dict["NAME"]) + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        _flock_with_timeout(handle.fileno(), timeout)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _flock_with_timeout(fd: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise DeployError(
                    f"Another process held the migration lock for over {timeout:g} s."
                ) from None
            time.sleep(0.25)


def ensure_first_admin(
    *, environ: Mapping[str, str] | None = None, say: Callable[[str], None] = print
) -> bool:
    """Create the first admin from RAPPORT_ADMIN_* when there is no user at all.

    Returns whether an account was created. Never touches an existing
    installation: once any user exists, the variables are ignored.
    """
    env = os.environ if environ is None else environ
    User = get_user_model()
    if User.objects.exists():
        return False
    email = env.get("RAPPORT_ADMIN_EMAIL", "").strip()
    password = envsecret("RAPPORT_ADMIN_PASSWORD", environ=env)
    if not email or not password:
        say(
            "No account exists yet. Set RAPPORT_ADMIN_EMAIL and RAPPORT_ADMIN_PASSWORD and "
            "restart, or run: docker compose exec web python manage.py createsuperuser"
        )
        return False
    if "@" not in email:
        raise DeployError(f"RAPPORT_ADMIN_EMAIL is not an email address (got {email!r}).")
    username = env.get("RAPPORT_ADMIN_USERNAME", "").strip() or email
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise DeployError("RAPPORT_ADMIN_PASSWORD is too weak: " + " ".join(exc.messages)) from exc
    admin = User.objects.create_superuser(username=username, email=email, password=password)
    # The administrator chose this address: it counts as verified (log-in by email, resets).
    EmailAddress.objects.create(user=admin, email=email.lower(), verified=True, primary=True)
    say(f"Created the first admin account: log in as {username!r}.")
    return True
