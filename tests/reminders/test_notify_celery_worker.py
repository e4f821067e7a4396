"""A test message through a real Celery worker on Redis: the outbox, the task, Apprise, the
endpoint. Needs PostgreSQL and Redis (skipped without them locally, a failure under CI)."""

import subprocess
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
from tests.workers import wait_for_worker

__all__ = ["worker"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_test_once_and_records_it(
    worker: subprocess.Popen[bytes], endpoint: Endpoint, tmp_path: Path
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


def _wait(tmp_path: Path, worker: subprocess.Popen[bytes], done: Callable[[], bool]) -> None:
    log = tmp_path / "worker.log"
    what = "the worker did not get there"
    wait_for_worker(worker, log, done, what=what, seconds=WAIT_SECONDS, every=0.3)
