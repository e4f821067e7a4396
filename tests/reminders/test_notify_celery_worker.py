"""A test message through a real Celery worker on Redis: the outbox, the task, Apprise, the
endpoint. Needs PostgreSQL and Redis (skipped without them locally, a failure under CI)."""

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crm.celery import app
from crm.outbox import outbox_flush
from reminders import channels
from reminders.models import DeliveryStatus, NotificationDelivery
from tests.factories import NotificationChannelFactory, UserFactory
from tests.reminders.endpoint import Endpoint
from tests.reminders.test_reminders_celery_worker import WAIT_SECONDS, worker

__all__ = ["worker"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_test_once_and_records_it(
    worker: subprocess.Popen, endpoint: Endpoint, tmp_path: Path
) -> None:
    owner = UserFactory(username="notify-worker-owner")
    channel = NotificationChannelFactory(owner=owner, name="Desk", url=endpoint.url())
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        delivery = channels.channel_test(channel=channel)
        outbox_flush()  # what beat does every minute, in case the commit hook found no broker
        _wait(tmp_path, worker, lambda: _status(delivery) == DeliveryStatus.SENT)
        # The same delivery handed over again (a duplicate message) is turned away.
        duplicate = app.send_task(channels.DELIVER_TASK, args=[delivery.pk])
    finally:
        app.conf.task_always_eager = eager
    log = tmp_path / "worker.log"
    _wait(tmp_path, worker, lambda: f"{duplicate.id}] succeeded" in log.read_text())
    assert [m["title"] for m in endpoint.messages] == ["Rapport: test message"]
    assert NotificationDelivery.objects.get().attempts == 1
    assert endpoint.url() not in log.read_text()


def _status(delivery: NotificationDelivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


def _wait(tmp_path: Path, worker: subprocess.Popen, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(0.3)
    pytest.fail("the worker did not get there:\n" + (tmp_path / "worker.log").read_text()[-3000:])
