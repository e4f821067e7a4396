"""Worker-side plumbing of the System status page (discovered by crm/celery.py).

No tasks here: a thread in each Celery worker writes a heartbeat into the
shared cache, so the status page can tell whether a worker is alive.
"""

import logging
import threading
from typing import Any

from celery.signals import worker_ready, worker_shutdown

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
