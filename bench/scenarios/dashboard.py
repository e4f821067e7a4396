"""This week over what a real scan leaves open.

The reminders are the ones `scan_user` stores for the seeded account (at 30,000
contacts about 6,700 open: mostly keep in touch, plus the fortnight's birthdays,
anniversaries and job changes), not a hand-made backlog, so the page is timed
against the data a real account shows. Each scenario puts every scanned reminder
back to open first, whatever an earlier run did to them.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from crm.models import UserSettings
from reminders.models import Reminder, ReminderStatus
from reminders.scan import scan_user

# The dashboard within 4x the framework floor (a minimal logged-in page), issue 16.
FLOOR_RATIO = 4.0


def _scanned(ctx: Context) -> None:
    if "scanned" not in ctx.extra:
        today = UserSettings.for_user(ctx.user).today()
        scan_user(user=ctx.user, today=today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE reminders_reminder")
        ctx.extra["scanned"] = True
    mine = Reminder.objects.owned_by(ctx.user)
    mine.exclude(status=ReminderStatus.OPEN).update(
        status=ReminderStatus.OPEN, snoozed_until=None, completed_at=None
    )
    print(f"# dashboard at {ctx.size} contacts: {mine.count()} open reminders", flush=True)


@scenario("dashboard_after_scan", target_ms=60, max_floor_ratio=FLOOR_RATIO)
def dashboard(ctx: Context) -> Callable[[], Any]:
    _scanned(ctx)
    return get_ok(ctx.client, reverse("reminders:dashboard"))


@scenario("dashboard_board_htmx", target_ms=60, max_floor_ratio=FLOOR_RATIO)
def dashboard_board(ctx: Context) -> Callable[[], Any]:
    _scanned(ctx)
    return get_ok(ctx.client, reverse("reminders:dashboard"), headers={"HX-Request": "true"})
