"""The scan through a real Celery worker on Redis (not eager), as in production.

Needs PostgreSQL and Redis (the `real_worker` fixture): skipped without them locally, but a
failure under CI.
"""

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from reminders.models import Reminder, ReminderKind, ScanRun
from reminders.tasks import scan_user
from tests.factories import ContactFactory, UserFactory
from tests.workers import not_eager, wait_for_worker

WAIT_SECONDS = 90


@pytest.fixture
def worker(real_worker: Callable[..., subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    return real_worker("--pool=solo")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scan_and_the_reminders_appear(
    worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    owner = UserFactory(username="worker-owner")
    today = dt.date.today()
    soon = today + dt.timedelta(days=3)
    contact = ContactFactory(owner=owner, birthday_month=soon.month, birthday_day=soon.day)
    with not_eager():
        scan_user.delay(owner.pk, True)
    wait_for_worker(
        worker,
        tmp_path / "worker.log",
        ScanRun.objects.filter(user=owner, finished_at__isnull=False).exists,
        what="no scan",
        seconds=WAIT_SECONDS,
    )
    reminder = Reminder.objects.get(owner=owner, kind=ReminderKind.BIRTHDAY)
    assert (reminder.contact, reminder.due_on) == (contact, soon)
