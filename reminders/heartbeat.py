"""Is the reminder scheduler alive? Read by every page, so cached briefly."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from reminders.models import ScanRun

SCHEDULER_GRACE = timedelta(hours=26)
CACHE_KEY = "rapport:scheduler-state"


@dataclass(frozen=True)
class SchedulerState:
    last_run: datetime | None
    delayed: bool


def scheduler_state() -> SchedulerState:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    last = ScanRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    if last is not None:
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
