"""A real worker whose child is SIGKILLed mid-import: the import starts again and finishes.

Needs PostgreSQL and Redis, like tests/reminders/test_reminders_celery_worker.py.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from contacts.importers.jobs import PROGRESS_KEY, import_job_confirm
from contacts.models import Contact, ImportJob, ImportStatus
from crm.celery import app
from tests.contacts.test_transfer_worker_death import confirmed_job
from tests.factories import UserFactory
from tests.reminders.test_reminders_celery_worker import ROOT, _require_services

ROWS = 6000
WAIT_SECONDS = 180


@pytest.fixture
def prefork_worker(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A worker with one pool child, so there is a child to kill."""
    _require_services()
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
        "SECRET_KEY": "worker-test-not-a-secret",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "RAPPORT_VAR_DIR": str(tmp_path),
        "DATABASE_POOL": "false",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool=prefork",
         "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _children(pid: int) -> list[int]:
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_child_killed_mid_import_does_not_strand_the_job(
    prefork_worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    owner = UserFactory(username="killed-worker")
    job = confirmed_job(owner, rows=ROWS)
    ImportJob.objects.filter(pk=job.pk).update(report={"preview": {}})
    job.refresh_from_db()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        assert import_job_confirm(job)
    finally:
        app.conf.task_always_eager = eager
    log = tmp_path / "worker.log"
    deadline = time.monotonic() + WAIT_SECONDS
    # Wait for the import to be under way in the pool's child, then kill that child.
    while int(cache.get(PROGRESS_KEY.format(pk=job.pk)) or 0) < 500:
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        assert prefork_worker.poll() is None, log.read_text()[-3000:]
        time.sleep(0.05)
    children = _children(prefork_worker.pid)
    assert children, "the worker has no pool child"
    for child in children:
        os.kill(child, signal.SIGKILL)
    while True:
        job.refresh_from_db()
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
            break
        assert time.monotonic() < deadline, (job.status, log.read_text()[-3000:])
        time.sleep(0.5)
    assert job.status == ImportStatus.DONE, job.error
    assert job.report["attempts"] == 2  # the killed run, then the one that finished
    assert job.created_count == ROWS
    assert Contact.objects.filter(owner=owner).count() == ROWS
    assert "WorkerLostError" in log.read_text() or "SIGKILL" in log.read_text()
