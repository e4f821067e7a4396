"""The task outbox: work for the worker is written to the database first, then sent.

`outbox_send` records the task in the caller's transaction (crm.models.TaskMessage)
and publishes it once that transaction commits. When the broker (Redis) is down
the publish fails quietly: the row stays, the request still succeeds, and
`outbox_flush` sends it when the broker is back (beat runs it every minute, and
every worker runs it when it starts). So a change and "tell the worker about it"
are saved together or not at all, and nothing is lost while Redis is away.

Delivery is at least once: a sender that dies between the broker accepting a
message and deleting its row leaves it to be sent again, so every task sent
through here must be idempotent (all of Rapport's are).
"""

import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

import kombu.exceptions
import redis.exceptions
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from crm.models import TaskMessage

logger = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)
# How long one sender may take to publish before another may try the same row.
CLAIM_FOR = timedelta(minutes=2)
FLUSH_BATCH = 500
TaskArg = int | str | bool | None


# How long one failed publish keeps the "background work is paused" banner up in its
# process; every further failure renews it, a successful publish clears it.
BROKER_DOWN_FOR = timedelta(minutes=2)


class _BrokerState:
    """Per process: when publishing last failed, for the "background work is paused" banner."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failed_at: datetime | None = None

    def failed(self, exc: BaseException) -> None:
        with self.lock:
            first = self.failed_at is None
            self.failed_at = timezone.now()
        if first:
            logger.warning(
                "The task queue (broker) is unreachable; tasks wait in the outbox: %s", exc
            )

    def sent(self) -> None:
        if self.failed_at is None:
            return
        with self.lock:
            self.failed_at = None
        logger.warning("The task queue (broker) answers again.")


_broker = _BrokerState()


def broker_is_down() -> bool:
    """Whether a publish from this process failed in the last BROKER_DOWN_FOR."""
    failed_at = _broker.failed_at
    return failed_at is not None and timezone.now() - failed_at < BROKER_DOWN_FOR


def forget_broker_outage() -> None:
    """For tests: this process has seen no failed publish."""
    _broker.failed_at = None


def _key(task: str, args: Sequence[TaskArg]) -> str:
    return hashlib.sha256(json.dumps([task, list(args)]).encode()).hexdigest()


def outbox_send(*, task: str, args: Sequence[TaskArg] = ()) -> bool:
    """Queue `task(*args)` through the outbox.

    Inside a transaction the message is published when it commits, and True means
    "recorded". Outside one it is published now, and False means the broker was
    unreachable (the message waits for the next flush). The same task with the same
    arguments already waiting is not recorded twice.
    """
    key = _key(task, args)
    message = TaskMessage.objects.filter(key=key, claimed_until__isnull=True).first()
    if message is None:
        message = TaskMessage.objects.create(task=task, args=list(args), key=key)
    pk = message.pk
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _publish(pk))
        return True
    return _publish(pk)


def _claim(pk: int) -> TaskMessage | None:
    now = timezone.now()
    claimed = (
        TaskMessage.objects.filter(pk=pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None  # another process is sending it
    return TaskMessage.objects.filter(pk=pk).first()


def _publish(pk: int) -> bool:
    """Send one recorded message; True when the broker took it (or someone else has it)."""
    from crm.celery import app

    message = _claim(pk)
    if message is None:
        return True
    task = app.tasks.get(message.task)
    if task is None:
        logger.error("Outbox: no task named %s; dropping %s", message.task, message)
        message.delete()
        return True
    try:
        task.apply_async(args=message.args)
    except PUBLISH_ERRORS as exc:
        _broker.failed(exc)
        TaskMessage.objects.filter(pk=pk).update(claimed_until=None, last_error=str(exc)[:500])
        return False
    _broker.sent()
    TaskMessage.objects.filter(pk=pk).delete()
    return True


def outbox_flush() -> int:
    """Send every waiting message, oldest first; stop at the first the broker refuses."""
    sent = 0
    while True:
        now = timezone.now()
        batch = list(
            TaskMessage.objects.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("id")
            .values_list("pk", flat=True)[:FLUSH_BATCH]
        )
        for pk in batch:
            if not _publish(pk):
                return sent
            sent += 1
        if len(batch) < FLUSH_BATCH:
            return sent


def outbox_waiting_since(*, task: str, args: Sequence[TaskArg]) -> datetime | None:
    """When this task, with these arguments, was first recorded and is still unsent."""
    return (
        TaskMessage.objects.filter(key=_key(task, args))
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
