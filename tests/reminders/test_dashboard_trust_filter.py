"""This week's trust filter: each choice shows the people it names, counts and entries alike.

The filter is asked as "the contact is (not) among these ids" (no join to contacts), so
it is checked here for every choice and every level, the not-yet-rated included.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from contacts.models import TrustLevel
from reminders.dashboard import (
    GROUP_LIMIT,
    TRUST_FILTERS,
    _shown_entries,
    due_reminders,
    this_week,
)
from reminders.models import ReminderKind
from tests.factories import ContactFactory, ReminderFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)
LEVELS: list[str | None] = [*TrustLevel.values, None]


@pytest.mark.parametrize("trust", list(TRUST_FILTERS))
def test_each_filter_shows_and_counts_exactly_the_levels_it_names(user: User, trust: str) -> None:
    due = {}
    for n, level in enumerate(LEVELS):
        contact = ContactFactory(owner=user, trust_level=level)
        # Two groups, so every level fits on screen within a group's first few.
        kind = (ReminderKind.BIRTHDAY, ReminderKind.WORK_ANNIVERSARY)[n % 2]
        due[level] = ReminderFactory(contact=contact, kind=kind, due_on=TODAY)
    other = ContactFactory(trust_level=TrustLevel.CLOSE)  # another owner's close friend
    ReminderFactory(contact=other, kind=ReminderKind.BIRTHDAY, due_on=TODAY)

    board = this_week(owner=user, today=TODAY, trust=trust)

    expected = {due[level].pk for level in TRUST_FILTERS[trust][1]}
    assert {r.pk for group in board.groups for r in group.entries} == expected
    assert board.due_count == len(expected)


def test_keep_in_touch_ranks_by_closeness_whatever_the_filter_leaves(user: User) -> None:
    touch = {}
    for level in LEVELS:
        contact = ContactFactory(owner=user, trust_level=level)
        # The least close is the most overdue: closeness still comes first.
        days = 100 - 10 * (LEVELS.index(level))
        touch[level] = ReminderFactory(
            contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, due_on=TODAY - dt.timedelta(days)
        )
    board = this_week(owner=user, today=TODAY, trust="all")
    shown = [r.contact.trust_level for r in board.touch.entries]
    assert shown[:3] == [TrustLevel.CLOSE, TrustLevel.KNOW_WELL, TrustLevel.ACQUAINTANCE]


def test_job_changes_and_promotions_share_one_limit_and_only_those_shown_are_loaded(
    user: User,
) -> None:
    made = []
    for days in range(GROUP_LIMIT):
        for kind in (ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION):
            contact = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
            due_on = TODAY - dt.timedelta(days)
            made.append(ReminderFactory(contact=contact, kind=kind, due_on=due_on))
    most_overdue = sorted(made, key=lambda r: (r.due_on, r.pk))[:GROUP_LIMIT]

    board = this_week(owner=user, today=TODAY)
    career = next(group for group in board.occasions if group.key == "career")
    assert career.total == 2 * GROUP_LIMIT
    assert [r.pk for r in career.entries] == [r.pk for r in most_overdue]
    # The database hands over only the rows on screen, whichever their kind.
    due = due_reminders(user, board.week)
    assert len(_shown_entries(due, {"career": GROUP_LIMIT}, user)) == GROUP_LIMIT
