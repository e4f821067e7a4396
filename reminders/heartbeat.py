"""Is the reminder scheduler alive? Read by every page, so cached briefly."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from reminders.models import ScanRun, ScanTrigger

SCHEDULER_GRACE = timedelta(hours=26)
CACHE_KEY = "rapport:scheduler-state"
# Beat queues its heartbeat every minute (settings.CELERY_BEAT_SCHEDULE); ten missed
# minutes mean beat (or the worker that records it) has stopped.
BEAT_CACHE_KEY = "rapport:beat-heartbeat"
BEAT_STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class SchedulerState:
    last_run: datetime | None
    delayed: bool


def scheduler_state() -> SchedulerState:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    # Only beat's own scan of everyone proves the schedule works: a single user's "scan
    # now", `manage.py scan_reminders` or a worker's catch-up scan at start leave every
    # later day waiting when beat is down.
    last = (
        ScanRun.objects.filter(
            finished_at__isnull=False, user__isnull=True, trigger=ScanTrigger.BEAT
        )
        .order_by("-finished_at")
        .first()
    )
    heartbeat = beat_last_seen()
    if heartbeat is not None and now - heartbeat > BEAT_STALE_AFTER:
        # Beat stopped minutes ago: say so now, not a day later.
        state = SchedulerState(last_run=heartbeat, delayed=True)
    elif last is not None and last.finished_at is not None:
        state = SchedulerState(
            last_run=last.finished_at, delayed=now - last.finished_at > SCHEDULER_GRACE
        )
    else:
        # A new installation gets a day's grace before the first scan is missed.
        first_user = get_user_model().objects.order_by("date_joined").first()
        overdue = first_user is not None and now - first_user.date_joined > SCHEDULER_GRACE
        state = SchedulerState(last_run=None, delayed=overdue)
    cache.set(CACHE_KEY, state, 60)
    return state


def forget_scheduler_state() -> None:
    cache.delete(CACHE_KEY)


# --- Beat's heartbeat ---------------------------------------------------------------


@dataclass(frozen=True)
class BeatState:
    last_seen: datetime | None
    answering: bool


def record_beat_heartbeat(*, now: datetime | None = None) -> None:
    # Kept for a week so the page can say *when* beat was last seen.
    cache.set(BEAT_CACHE_KEY, now or timezone.now(), 7 * 24 * 60 * 60)


def beat_last_seen() -> datetime | None:
    return cache.get(BEAT_CACHE_KEY)


def beat_state(*, now: datetime | None = None) -> BeatState:
    seen = beat_last_seen()
    if seen is None:
        return BeatState(last_seen=None, answering=False)
    return BeatState(last_seen=seen, answering=(now or timezone.now()) - seen <= BEAT_STALE_AFTER)


# --- The Celery worker's heartbeat ------------------------------------------------
#
# Each worker writes the time into the shared cache every WORKER_BEAT_INTERVAL
# seconds (crm/tasks.py starts the thread when the worker is ready). The status
# page calls a worker "answering" while the last beat is younger than
# WORKER_STALE_AFTER: a stopped or wedged worker shows up within two minutes,
# without a broadcast that the filesystem broker could not deliver.

WORKER_CACHE_KEY = "rapport:worker-heartbeat"
WORKER_BEAT_INTERVAL = 30
WORKER_STALE_AFTER = timedelta(seconds=4 * WORKER_BEAT_INTERVAL)


@dataclass(frozen=True)
class WorkerState:
    hostname: str | None
    last_seen: datetime | None
    answering: bool


def record_worker_heartbeat(hostname: str, *, now: datetime | None = None) -> None:
    seen = now or timezone.now()
    # Kept well past the stale threshold so the page can say *when* it was last seen.
    cache.set(WORKER_CACHE_KEY, {"hostname": hostname, "at": seen}, 7 * 24 * 60 * 60)


def worker_state(*, now: datetime | None = None) -> WorkerState:
    beat = cache.get(WORKER_CACHE_KEY)
    if not beat:
        return WorkerState(hostname=None, last_seen=None, answering=False)
    current = now or timezone.now()
    return WorkerState(
        hostname=beat["hostname"],
        last_seen=beat["at"],
        answering=current - beat["at"] <= WORKER_STALE_AFTER,
    )
