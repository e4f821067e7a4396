"""Celery tasks of the reminder engine: thin wrappers that take ids and call services.

Every task is idempotent (the scan ignores rows it already made; a digest is
recorded once per week), so a retry or a duplicate delivery is harmless.
"""

import logging
from datetime import date, datetime, timedelta
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from crm.celery import RETRYABLE_ERRORS, retry_policy
from crm.outbox import outbox_send, outbox_waiting_since
from reminders import apprise_urls, digest, heartbeat, notify, scan
from reminders.models import ScanRun, ScanTrigger

logger = logging.getLogger(__name__)

RETRY = retry_policy(backoff_max=10 * 60, max_retries=6)
# A worker starting after this long without a scan queues one at once.
STALE_SCAN_AFTER = timedelta(hours=24)


# The scans are idempotent and write each user in one transaction: a worker killed
# mid-scan puts the message back (reject_on_worker_lost) and the rerun finishes the job.
# scan_all_users has CELERY_TASK_TIME_LIMIT, which the broker's visibility timeout exceeds.
@shared_task(**RETRY, reject_on_worker_lost=True)
def scan_all_users(trigger: str = ScanTrigger.BEAT) -> dict[str, int]:
    run = scan.scan_all(trigger=ScanTrigger(trigger))
    return {"users": run.users_scanned, "created": run.reminders_created}


@shared_task(time_limit=30, soft_time_limit=25)
def record_beat_heartbeat() -> None:
    """Queued by beat every minute; its run is beat's liveness on the status page."""
    heartbeat.record_beat_heartbeat()


@shared_task(**RETRY, reject_on_worker_lost=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def scan_user(user_id: int, record: bool = True) -> int:
    """Scan one user; `record` adds it to the heartbeat shown in settings."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    if record:
        return scan.scan_one(user=user, trigger=ScanTrigger.MANUAL).reminders_created
    return scan.scan_user(user=user)


@shared_task(**RETRY, time_limit=10 * 60, soft_time_limit=9 * 60)
def send_due_digests() -> int:
    """Queue the digest of every user whose digest day it is; return how many."""
    due = digest.due_digests()
    for user_id, week_start in due:
        send_digest.delay(user_id, week_start.isoformat())
    return len(due)


@shared_task(**RETRY, time_limit=5 * 60, soft_time_limit=4 * 60)
def send_digest(user_id: int, week_start: str) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return digest.send_digest(user=user, week_start=date.fromisoformat(week_start))


@shared_task(**RETRY, time_limit=5 * 60, soft_time_limit=4 * 60)
def send_due_notifications() -> int:
    """Record what is due on every notification channel and queue each send."""
    notify.forget_old_deliveries()
    due = notify.due_deliveries()
    for delivery_id in due:
        deliver_notification.delay(delivery_id)
    return len(due)


# A worker killed mid-send puts the message back; the rerun finds the delivery claimed
# ("sending") and sends nothing, so nothing goes out twice (reminders/notify.py).
@shared_task(
    **RETRY,
    reject_on_worker_lost=True,
    time_limit=2 * 60 + apprise_urls.SEND_TIMEOUT,
    soft_time_limit=2 * 60,
)
def deliver_notification(delivery_id: int) -> str:
    return notify.deliver(delivery_id)


# --- Queueing from the web --------------------------------------------------------------


def queue_user_scan(user: User, *, record: bool = False) -> bool:
    """Queue a scan of this user through the outbox (crm/outbox.py).

    Never raises when the broker is down: the scan waits in the database and goes
    out when the broker is back (see `reminders_delayed_since`). Returns False when
    publishing failed immediately (outside a transaction); inside one, True means
    "recorded".
    """
    return outbox_send(task=scan_user.name, args=[int(user.pk), record])


def reminders_delayed_since(user: User) -> datetime | None:
    """Since when a scan of this user has waited for the broker (None when none waits)."""
    waiting = [
        outbox_waiting_since(task=scan_user.name, args=[int(user.pk), record])
        for record in (False, True)
    ]
    return min((when for when in waiting if when is not None), default=None)


@worker_ready.connect
def scan_when_stale(**kwargs: Any) -> None:
    """A worker that starts after a day without a scan catches up at once.

    A fresh install (or one whose beat was down) would otherwise wait until the
    next scheduled hour and show "reminders are delayed" meanwhile.
    """
    try:
        last = ScanRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
        if (
            last is None
            or last.finished_at is None
            or timezone.now() - last.finished_at > STALE_SCAN_AFTER
        ):
            # Recorded as a catch-up, so it never passes for beat having run.
            scan_all_users.delay(ScanTrigger.CATCH_UP.value)
    except RETRYABLE_ERRORS:
        logger.warning("Could not check or queue the catch-up reminder scan", exc_info=True)
