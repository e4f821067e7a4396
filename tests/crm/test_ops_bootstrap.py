"""The entrypoint's steps in-process: production refusal, first admin, waiting, the lock."""

import os
import secrets
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from crm.deploy import DeployError, ensure_first_admin, migration_lock, production_problems
from tests.factories import UserFactory
from tests.source_tree import run_python

GOOD = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "crm.example.com",
    "BASE_URL": "https://crm.example.com",
}


@pytest.fixture(autouse=True)
def _production(settings: Settings) -> None:
    settings.DEBUG = False


def test_it_accepts_a_real_production_configuration() -> None:
    assert production_problems(GOOD) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "change-me-" + "x" * 50}, "SECRET_KEY looks like a placeholder"),
        ({"SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)}, "placeholder"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is not set"),
        ({"ALLOWED_HOSTS": "*"}, "not '*'"),
        ({"BASE_URL": ""}, "BASE_URL is not set"),
        ({"BASE_URL": "https://other.example.org"}, "is not in ALLOWED_HOSTS"),
    ],
)
def test_it_names_what_is_missing_for_production(changes: dict[str, str], problem: str) -> None:
    problems = production_problems({**GOOD, **changes})
    assert len(problems) == 1
    assert problem in problems[0]


def test_it_accepts_a_wildcard_subdomain_host() -> None:
    assert production_problems({**GOOD, "ALLOWED_HOSTS": ".example.com"}) == []


def test_it_does_not_insist_on_production_settings_in_debug(settings: Settings) -> None:
    settings.DEBUG = True
    assert production_problems({}) == []


def test_the_bootstrap_command_refuses_with_every_problem_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError) as refused:
        call_command("bootstrap", check_only=True)
    message = str(refused.value)
    assert "Refusing to start in production" in message
    for name in GOOD:
        assert name in message


@pytest.mark.django_db
def test_it_creates_the_first_admin_once() -> None:
    said: list[str] = []
    env = {"RAPPORT_ADMIN_EMAIL": "me@example.com", "RAPPORT_ADMIN_PASSWORD": "a long pass phrase"}
    assert ensure_first_admin(environ=env, say=said.append) is True
    admin = User.objects.get()
    assert (admin.username, admin.email) == ("me@example.com", "me@example.com")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("a long pass phrase")
    # A second start, even with another password, changes nothing.
    env["RAPPORT_ADMIN_PASSWORD"] = "another long pass phrase"
    assert ensure_first_admin(environ=env, say=said.append) is False
    admin.refresh_from_db()
    assert admin.check_password("a long pass phrase")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_never_adds_an_admin_to_an_installation_with_users() -> None:
    UserFactory(username="existing")
    env = {"RAPPORT_ADMIN_EMAIL": "me@example.com", "RAPPORT_ADMIN_PASSWORD": "a long pass phrase"}
    assert ensure_first_admin(environ=env, say=lambda _: None) is False
    assert list(User.objects.values_list("username", flat=True)) == ["existing"]


@pytest.mark.django_db
def test_it_says_how_to_create_an_admin_when_none_is_configured() -> None:
    said: list[str] = []
    assert ensure_first_admin(environ={}, say=said.append) is False
    assert "RAPPORT_ADMIN_EMAIL" in said[0]
    assert "createsuperuser" in said[0]
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "problem"),
    [
        ("me@example.com", "12345678", "RAPPORT_ADMIN_PASSWORD is too weak"),
        ("not-an-email", "a long pass phrase", "RAPPORT_ADMIN_EMAIL is not an email"),
    ],
)
def test_it_refuses_a_bad_first_admin(email: str, password: str, problem: str) -> None:
    env = {"RAPPORT_ADMIN_EMAIL": email, "RAPPORT_ADMIN_PASSWORD": password}
    with pytest.raises(DeployError, match=problem):
        ensure_first_admin(environ=env, say=lambda _: None)
    assert not User.objects.exists()


def test_wait_for_db_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "SECRET_KEY": GOOD["SECRET_KEY"],
        "DEBUG": "false",
        # Nothing listens on port 1.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "RAPPORT_VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    result = run_python(
        "manage.py", "wait_for_db", "--timeout", "1.5", "--interval", "0.5", env=env
    )
    assert result.returncode != 0
    assert "The database did not answer within 1.5 s" in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.django_db(transaction=True)
def test_the_migration_lock_lets_one_process_in_at_a_time(
    settings: Settings, tmp_path: Path
) -> None:
    # Threads have their own database connections: on PostgreSQL two sessions
    # contend for the advisory lock, on SQLite two file descriptors for the file lock.
    order: list[str] = []
    inside = threading.Event()

    def holder() -> None:
        try:
            with migration_lock(timeout=5):
                order.append("first in")
                inside.set()
                time.sleep(0.4)
                order.append("first out")
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    inside.wait(5)
    with migration_lock(timeout=5):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_the_migration_lock_times_out(tmp_path: Path) -> None:
    import fcntl

    from crm import deploy

    lock = tmp_path / "db.migrate.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        other = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(DeployError, match="held the migration lock"):
                deploy._flock_with_timeout(other, 0.3)
        finally:
            os.close(other)
