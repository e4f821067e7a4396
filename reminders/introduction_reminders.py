"""Stalled introductions become reminders: "Ada hasn't answered in 7 days" (issue 21).

The daily scan (reminders.scan) adds these to the occasions it stores; the key names
the introduction and the step, so each wait raises one reminder, and answering (or
closing) the introduction settles it (contacts.introduction_flow).
"""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Q

from contacts.models import Introduction
from contacts.relation_models import INTRO_STALL_DAYS, IntroStatus
from reminders.models import Reminder, ReminderKind


def introduction_key(introduction_id: int, status: str) -> str:
    return f"introduction:{introduction_id}:{status}"


def stalled_introductions(
    *, user: User, today: date, contact_ids: list[int] | None = None
) -> list[Reminder]:
    """Unsaved reminders for each side that has been asked and not answered for a week.

    One query, over the owner's waiting introductions only.
    """
    waiting = Introduction.objects.filter(
        owner=user,
        status__in=[IntroStatus.WAITING_FIRST, IntroStatus.WAITING_SECOND],
        step_on__lte=today - timedelta(days=INTRO_STALL_DAYS),
    )
    if contact_ids is not None:
        waiting = waiting.filter(Q(first_id__in=contact_ids) | Q(second_id__in=contact_ids))
    found = []
    for pk, status, first_id, second_id, step_on in waiting.order_by().values_list(
        "pk", "status", "first_id", "second_id", "step_on"
    ):
        found.append(
            Reminder(
                owner=user,
                contact_id=first_id if status == IntroStatus.WAITING_FIRST else second_id,
                kind=ReminderKind.INTRODUCTION,
                occasion_key=introduction_key(pk, status),
                due_on=step_on + timedelta(days=INTRO_STALL_DAYS),
            )
        )
    return found


def silence_days(reminder: Reminder, today: date) -> int:
    """How long the side has been silent: since the step began (its due date less a week)."""
    return (today - (reminder.due_on - timedelta(days=INTRO_STALL_DAYS))).days
