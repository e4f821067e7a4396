"""The dashboard with a backlog: 500 open reminders whatever the number of contacts."""

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact, Position, TrustLevel
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus

OPEN_REMINDERS = 500
KEY_PREFIX = "bench-dashboard-"
JOB_KINDS = {ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION, ReminderKind.WORK_ANNIVERSARY}


def _backlog(ctx: Context) -> None:
    """Exactly 500 open bench reminders from a week ago to a week ahead (once per dataset).

    Spread over every kind and over contacts across the whole table, so the
    joins and subqueries touch rows everywhere, not just the first few pages.
    """
    mine = Reminder.objects.owned_by(ctx.user).filter(occasion_key__startswith=KEY_PREFIX)
    mine.update(status=ReminderStatus.OPEN, snoozed_until=None, completed_at=None)
    have = mine.count()
    if have >= OPEN_REMINDERS:
        return
    rng = random.Random(ctx.size)
    people = list(
        Contact.objects.owned_by(ctx.user)
        .exclude(trust_level=TrustLevel.FOLLOWING)
        .values_list("pk", flat=True)
    )
    jobs = list(
        Position.objects.filter(contact__owner=ctx.user, end_date__isnull=True).values_list(
            "pk", "contact_id"
        )
    )
    today = UserSettings.for_user(ctx.user).today()
    kinds = ReminderKind.values
    made = []
    for index in range(have, OPEN_REMINDERS):
        kind = kinds[index % len(kinds)]
        position_id, contact_id = None, rng.choice(people)
        if kind in JOB_KINDS and jobs:
            position_id, contact_id = rng.choice(jobs)
        made.append(
            Reminder(
                owner=ctx.user,
                contact_id=contact_id,
                position_id=position_id,
                kind=kind,
                occasion_key=f"{KEY_PREFIX}{index}",
                due_on=today + timedelta(days=rng.randint(-7, 7)),
                years=5 if kind == ReminderKind.WORK_ANNIVERSARY else None,
            )
        )
    Reminder.objects.bulk_create(made)


@scenario("dashboard_500_open_reminders", target_ms=60)
def dashboard(ctx: Context) -> Callable[[], Any]:
    _backlog(ctx)
    return get_ok(ctx.client, reverse("reminders:dashboard"))


@scenario("dashboard_board_htmx", target_ms=60)
def dashboard_board(ctx: Context) -> Callable[[], Any]:
    _backlog(ctx)
    return get_ok(ctx.client, reverse("reminders:dashboard"), headers={"HX-Request": "true"})
