"""The scan through a real Celery worker on Redis (not eager), as in production.

Needs PostgreSQL and Redis: skipped without them locally, but a failure under CI.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from crm.celery import app
from reminders.models import Reminder, ReminderKind, ScanRun
from reminders.tasks import scan_user
from tests.factories import ContactFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


def _redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


def _require_services() -> None:
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


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[subprocess.Popen]:
    _require_services()
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
        "SECRET_KEY": "worker-test-not-a-secret",
        "REDIS_URL": settings.REDIS_URL,
        # The worker's cache writes (heartbeat, counts) go under this session's prefix, so
        # the suite's clean-up finds them (tests/conftest.py).
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "RAPPORT_VAR_DIR": str(tmp_path),
        "DATABASE_POOL": "false",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "crm",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scan_and_the_reminders_appear(
    worker: subprocess.Popen, tmp_path: Path
) -> None:
    owner = UserFactory(username="worker-owner")
    today = dt.date.today()
    soon = today + dt.timedelta(days=3)
    contact = ContactFactory(owner=owner, birthday_month=soon.month, birthday_day=soon.day)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        scan_user.delay(owner.pk, True)
    finally:
        app.conf.task_always_eager = eager
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if ScanRun.objects.filter(user=owner, finished_at__isnull=False).exists():
            break
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(0.5)
    else:
        pytest.fail(
            f"no scan within {WAIT_SECONDS}s:\n" + (tmp_path / "worker.log").read_text()[-3000:]
        )
    reminder = Reminder.objects.get(owner=owner, kind=ReminderKind.BIRTHDAY)
    assert (reminder.contact, reminder.due_on) == (contact, soon)
