"""A real worker whose child is SIGKILLed mid-import: the import starts again and finishes.

Needs PostgreSQL and Redis (the `real_worker` fixture in tests/conftest.py).
"""

import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache

from contacts.importers.jobs import PROGRESS_KEY, import_job_confirm
from contacts.models import Contact, ImportJob, ImportStatus
from tests.contacts.test_transfer_worker_death import confirmed_job
from tests.factories import UserFactory
from tests.workers import not_eager, wait_for_worker

ROWS = 6000
WAIT_SECONDS = 180


@pytest.fixture
def prefork_worker(real_worker: Callable[..., subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """A worker with one pool child, so there is a child to kill."""
    return real_worker("--pool=prefork", "--concurrency=1")


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
    with not_eager():
        assert import_job_confirm(job)
    log = tmp_path / "worker.log"

    def under_way() -> bool:
        return int(cache.get(PROGRESS_KEY.format(pk=job.pk)) or 0) >= 500

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (ImportStatus.DONE, ImportStatus.FAILED)

    # Wait for the import to be under way in the pool's child, then kill that child.
    wait_for_worker(
        prefork_worker,
        log,
        under_way,
        what="the import got under way",
        seconds=WAIT_SECONDS,
        every=0.05,
    )
    children = _children(prefork_worker.pid)
    assert children, "the worker has no pool child"
    for child in children:
        os.kill(child, signal.SIGKILL)
    wait_for_worker(prefork_worker, log, finished, what="the import finished", seconds=WAIT_SECONDS)
    assert job.status == ImportStatus.DONE, job.error
    assert job.report["attempts"] == 2  # the killed run, then the one that finished
    assert job.created_count == ROWS
    assert Contact.objects.filter(owner=owner).count() == ROWS
    assert "WorkerLostError" in log.read_text() or "SIGKILL" in log.read_text()
