"""The task outbox: recorded with the change, sent after commit, kept while the broker is down."""

import kombu.exceptions
import pytest
from django.contrib.auth.models import User
from django.db import transaction

from crm import outbox
from crm.celery import app
from crm.models import TaskMessage
from reminders.models import ScanRun
from reminders.tasks import scan_user

SCAN = scan_user.name


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise kombu.exceptions.OperationalError("Error 111 connecting. Connection refused.")

    monkeypatch.setattr(scan_user, "apply_async", refuse)


@pytest.mark.django_db(transaction=True)
def test_a_sent_message_leaves_no_row(user: User) -> None:
    assert outbox.outbox_send(task=SCAN, args=[user.pk, True]) is True
    assert not TaskMessage.objects.exists()
    assert ScanRun.objects.filter(user=user).exists()  # eager: the task ran


@pytest.mark.django_db(transaction=True)
def test_a_refused_message_waits_and_is_not_recorded_twice(user: User, broker_down: None) -> None:
    assert outbox.outbox_send(task=SCAN, args=[user.pk, True]) is False
    assert outbox.outbox_send(task=SCAN, args=[user.pk, True]) is False
    message = TaskMessage.objects.get()
    assert (message.args, message.attempts, message.claimed_until) == ([user.pk, True], 2, None)
    assert "Connection refused" in message.last_error
    assert outbox.broker_is_down()
    assert outbox.outbox_waiting_since(task=SCAN, args=[user.pk, True]) == message.created_at


@pytest.mark.django_db(transaction=True)
def test_the_flush_sends_what_waited_once_the_broker_is_back(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(scan_user, "apply_async", _refuse)
        outbox.outbox_send(task=SCAN, args=[user.pk, True])
        assert outbox.outbox_flush() == 0
    assert outbox.outbox_flush() == 1
    assert not TaskMessage.objects.exists()
    assert ScanRun.objects.filter(user=user).count() == 1
    assert not outbox.broker_is_down()


@pytest.mark.django_db(transaction=True)
def test_a_message_another_sender_holds_is_left_to_it(user: User, broker_down: None) -> None:
    outbox.outbox_send(task=SCAN, args=[user.pk, True])
    message = TaskMessage.objects.get()
    assert outbox._claim(message.pk) is not None
    assert outbox._claim(message.pk) is None  # claimed: a second sender keeps off
    assert outbox.outbox_flush() == 0


@pytest.mark.django_db
def test_inside_a_transaction_it_is_sent_on_commit_and_not_on_rollback(
    user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        assert outbox.outbox_send(task=SCAN, args=[user.pk, True]) is True
    assert len(callbacks) == 1 and TaskMessage.objects.count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_send(task="reminders.tasks.send_digest", args=[user.pk, "2026-01-05"])
        raise RuntimeError("the change failed")
    assert TaskMessage.objects.count() == 1  # the message went with the change


@pytest.mark.django_db
def test_the_flush_task_is_on_beats_schedule() -> None:
    entry = app.conf.beat_schedule["flush-task-outbox"]
    assert entry["task"] == "crm.tasks.flush_outbox"
    assert entry["options"]["expires"] < entry["schedule"]


def _refuse(*args: object, **kwargs: object) -> None:
    raise kombu.exceptions.OperationalError("Connection refused")
