"""Worker-side plumbing (discovered by crm/celery.py).

A thread in each Celery worker writes a heartbeat into the shared cache, so the
status page can tell whether a worker is alive; and the outbox (crm/outbox.py)
is flushed when a worker starts and every minute by beat.
"""

import logging
import threading
from typing import Any

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.db import DatabaseError

from crm.celery import retry_policy
from crm.outbox import outbox_flush
from reminders.heartbeat import WORKER_BEAT_INTERVAL, record_worker_heartbeat

logger = logging.getLogger(__name__)
_stop = threading.Event()


def _beat_forever(hostname: str) -> None:
    while True:
        try:
            record_worker_heartbeat(hostname)
        except Exception:  # the cache being down must not kill the worker
            logger.warning("Could not record the worker heartbeat", exc_info=True)
        if _stop.wait(WORKER_BEAT_INTERVAL):
            return


@worker_ready.connect
def start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    hostname = getattr(sender, "hostname", None) or "worker"
    _stop.clear()
    threading.Thread(
        target=_beat_forever, args=(hostname,), name="rapport-heartbeat", daemon=True
    ).start()


@worker_shutdown.connect
def stop_heartbeat(**kwargs: Any) -> None:
    _stop.set()


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def flush_outbox() -> int:
    """Send what waited in the outbox while the broker was down; how many went out."""
    return outbox_flush()


@worker_ready.connect
def flush_outbox_on_start(**kwargs: Any) -> None:
    # A broker that was down has just come back (or this worker is new): send at once
    # what waited, instead of at beat's next minute.
    try:
        sent = outbox_flush()
    except DatabaseError:
        logger.warning("Could not flush the task outbox at start-up", exc_info=True)
        return
    if sent:
        logger.info("Sent %s task(s) that waited in the outbox", sent)


# A database or broker hiccup is retried: a second backup that day only costs disk space,
# which the pruning takes back.
@shared_task(
    **retry_policy(backoff_max=30 * 60, max_retries=3),
    time_limit=2 * 60 * 60,
    soft_time_limit=2 * 60 * 60 - 60,
)
def run_backup() -> str:
    """Beat's daily backup (crm/backups.py); returns the folder it wrote."""
    from crm.backups import backup_run

    return str(backup_run().path)
