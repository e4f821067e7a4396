"""reminders.dashboard.this_week: the board for a user and dates, without a request."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import TrustLevel
from reminders.dashboard import (
    GROUP_LIMIT,
    PAGE_SIZE,
    TOUCH_LIMIT,
    TOUCH_WHEN_NO_OCCASIONS,
    Board,
    this_week,
)
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import ContactFactory, ReminderFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday
# Settings, the groups counted and picked, their rows, done and drafts (the chart and the
# overdue count come from the cache once warm).
QUERIES_PER_BOARD = 5


def _due(user: User, days: int, **kwargs: Any) -> Reminder:
    trust = kwargs.pop("trust", TrustLevel.ACQUAINTANCE)
    contact = kwargs.pop("contact", None) or ContactFactory(owner=user, trust_level=trust)
    return ReminderFactory(contact=contact, due_on=TODAY + dt.timedelta(days=days), **kwargs)


def _keys(board: Board) -> list[str]:
    return [group.key for group in board.groups if group.total]


def _shown(board: Board) -> set[int]:
    return {r.pk for group in board.groups for r in group.entries}


def test_it_puts_congratulations_first_and_keep_in_touch_last(user: User) -> None:
    _due(user, -2, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 5, kind=ReminderKind.CUSTOM)
    _due(user, 3, kind=ReminderKind.BIRTHDAY)
    _due(user, 0, kind=ReminderKind.WORK_ANNIVERSARY)
    _due(user, 1, kind=ReminderKind.PROMOTION)

    board = this_week(owner=user, today=TODAY)

    assert _keys(board) == ["career", "anniversary", "birthday", "other", "touch"]
    # Congratulations, then introductions waiting for an answer (issue 21).
    assert [g.title for g in board.occasions][-2:] == [
        "Dates to remember",
        "Introductions waiting for an answer",
    ]
    assert board.occasion_count == 4 and board.touch.total == 1


def test_keep_in_touch_never_outnumbers_the_occasions_on_screen(user: User) -> None:
    for days in range(20):
        _due(user, -days, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 2, kind=ReminderKind.BIRTHDAY)
    _due(user, 3, kind=ReminderKind.JOB_CHANGE)

    board = this_week(owner=user, today=TODAY)

    assert board.occasions_shown == 2
    assert len(board.touch.entries) == 2
    assert board.touch.total == 20, "the total still counts every overdue person"


def test_keep_in_touch_shows_at_most_a_few_however_many_occasions(user: User) -> None:
    for days in range(8):
        _due(user, -days, kind=ReminderKind.KEEP_IN_TOUCH)
        _due(user, days % 7, kind=ReminderKind.BIRTHDAY)

    board = this_week(owner=user, today=TODAY)

    assert len(board.touch.entries) == TOUCH_LIMIT


def test_with_no_occasion_it_suggests_the_few_most_overdue(user: User) -> None:
    for days in range(6):
        _due(user, -days, kind=ReminderKind.KEEP_IN_TOUCH)

    board = this_week(owner=user, today=TODAY)

    assert len(board.touch.entries) == TOUCH_WHEN_NO_OCCASIONS


def test_keep_in_touch_shows_close_before_know_well_then_the_most_overdue(user: User) -> None:
    _due(user, 2, kind=ReminderKind.BIRTHDAY)
    _due(user, 3, kind=ReminderKind.BIRTHDAY)
    _due(user, 4, kind=ReminderKind.BIRTHDAY)
    acquaintance = _due(user, -300, kind=ReminderKind.KEEP_IN_TOUCH)
    know_well = _due(user, -200, kind=ReminderKind.KEEP_IN_TOUCH, trust=TrustLevel.KNOW_WELL)
    close_recent = _due(user, -5, kind=ReminderKind.KEEP_IN_TOUCH, trust=TrustLevel.CLOSE)
    close_old = _due(user, -50, kind=ReminderKind.KEEP_IN_TOUCH, trust=TrustLevel.CLOSE)

    board = this_week(owner=user, today=TODAY)

    assert [r.pk for r in board.touch.entries] == [close_old.pk, close_recent.pk, know_well.pk]
    assert acquaintance.pk not in _shown(board)


def test_it_caps_occasion_groups_and_expands_one_on_request(user: User) -> None:
    for _ in range(GROUP_LIMIT + 2):
        _due(user, 1, kind=ReminderKind.BIRTHDAY)

    board = this_week(owner=user, today=TODAY)
    birthdays = board.occasions[2]
    assert (birthdays.key, len(birthdays.entries), birthdays.hidden) == ("birthday", GROUP_LIMIT, 2)

    expanded = this_week(owner=user, today=TODAY, expanded="birthday")
    assert len(expanded.occasions[2].entries) == GROUP_LIMIT + 2


def test_an_expanded_group_shows_a_page_at_a_time(user: User) -> None:
    made = [_due(user, 1 + n % 5, kind=ReminderKind.BIRTHDAY) for n in range(PAGE_SIZE + 3)]
    in_order = [r.pk for r in sorted(made, key=lambda r: (r.due_on, r.pk))]

    first = this_week(owner=user, today=TODAY, expanded="birthday").occasions[2]
    second = this_week(owner=user, today=TODAY, expanded="birthday", page=2).occasions[2]

    assert [r.pk for r in first.entries] == in_order[:PAGE_SIZE]
    assert (first.first, first.last) == (1, PAGE_SIZE)
    assert (first.next_page, first.previous_page) == (2, None)
    assert [r.pk for r in second.entries] == in_order[PAGE_SIZE:]
    assert (second.first, second.last) == (PAGE_SIZE + 1, PAGE_SIZE + 3)
    assert second.total == PAGE_SIZE + 3
    assert (second.next_page, second.previous_page) == (None, 1)
    # A page past the end (the group shrank since the link was made) shows the last one.
    past = this_week(owner=user, today=TODAY, expanded="birthday", page=9).occasions[2]
    assert [r.pk for r in past.entries] == in_order[PAGE_SIZE:]
    # The other groups keep their first few meanwhile.
    assert this_week(owner=user, today=TODAY, expanded="career", page=2).occasions[2].hidden == 18


def test_a_reminder_a_link_points_at_shows_even_past_the_first_few(user: User) -> None:
    made = [_due(user, 1 + n, kind=ReminderKind.BIRTHDAY) for n in range(GROUP_LIMIT + 3)]
    last = made[-1]
    assert last.pk not in _shown(this_week(owner=user, today=TODAY))

    board = this_week(owner=user, today=TODAY, focus=last.pk)

    birthdays = board.occasions[2]
    assert [r.pk for r in birthdays.entries] == [r.pk for r in made[:GROUP_LIMIT]] + [last.pk]
    # Not another owner's, nor one already dealt with.
    done = _due(user, 1, status=ReminderStatus.DONE)
    theirs = ReminderFactory(due_on=TODAY)
    for pk in (done.pk, theirs.pk):
        assert pk not in _shown(this_week(owner=user, today=TODAY, focus=pk))


def test_another_week_shows_what_falls_in_it(user: User) -> None:
    in_next_week = _due(user, 7)
    _due(user, 1)
    snoozed_into_it = _due(
        user, -3, status=ReminderStatus.SNOOZED, snoozed_until=TODAY + dt.timedelta(days=8)
    )

    board = this_week(owner=user, today=TODAY, week_of=TODAY + dt.timedelta(days=7))

    assert board.week.title == "Next week"
    assert _shown(board) == {in_next_week.pk, snoozed_into_it.pk}


def test_a_week_centuries_away_falls_back_to_this_week(user: User) -> None:
    board = this_week(owner=user, today=TODAY, week_of=dt.date(1, 1, 1))
    assert board.week.is_current


def test_an_unknown_trust_filter_means_the_default(user: User) -> None:
    followed = _due(user, 1, trust=TrustLevel.FOLLOWING)
    board = this_week(owner=user, today=TODAY, trust="nonsense")
    assert board.trust == "" and followed.pk not in _shown(board)
    assert followed.pk in _shown(this_week(owner=user, today=TODAY, trust="all"))


def test_it_sees_only_the_owners_reminders(user: User, other_user: User) -> None:
    mine = _due(user, 1)
    _due(other_user, 1)
    assert _shown(this_week(owner=user, today=TODAY)) == {mine.pk}


def test_its_query_count_does_not_grow_with_the_backlog(user: User) -> None:
    def count() -> int:
        this_week(owner=user, today=TODAY)  # warm the overdue-count cache
        with CaptureQueriesContext(connection) as queries:
            this_week(owner=user, today=TODAY)
        return len(queries)

    for kind in ReminderKind.values:
        _due(user, 1, kind=kind)
    small = count()
    for days in range(40):
        for kind in ReminderKind.values:
            _due(user, -days, kind=kind)
    assert count() == small


def test_it_loads_only_the_rows_it_shows(user: User) -> None:
    for days in range(30):
        _due(user, -days, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 1, kind=ReminderKind.BIRTHDAY)

    this_week(owner=user, today=TODAY)  # warm the overdue-count cache
    with CaptureQueriesContext(connection) as queries:
        board = this_week(owner=user, today=TODAY)
    reads = [q["sql"] for q in queries.captured_queries if "reminders_reminder" in q["sql"]]
    assert len(board.touch.entries) == 1
    # One query numbers and counts the groups in the database and hands over only the
    # rows on screen (plus one per group); one reads those; done-this-week is the other.
    assert len(reads) == 3
    assert sum("ROW_NUMBER()" in sql and "COUNT(*) OVER" in sql for sql in reads) == 1


@pytest.mark.parametrize("backlog", [0, 200])
def test_its_query_count_stays_flat_from_a_few_to_hundreds_open(user: User, backlog: int) -> None:
    """The same queries with a handful of open reminders and with hundreds of every kind."""
    contact = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    for kind in ReminderKind.values:
        _due(user, 1, kind=kind, contact=contact)
    people = ContactFactory.create_batch(backlog // 10, owner=user)
    for n in range(backlog):
        kind = ReminderKind.values[n % len(ReminderKind.values)]
        _due(user, -(n // 10), kind=kind, contact=people[n % len(people)], occasion_key=f"k{n}")

    this_week(owner=user, today=TODAY)  # warm the overdue-count cache
    with CaptureQueriesContext(connection) as queries:
        board = this_week(owner=user, today=TODAY)

    assert len(queries) == QUERIES_PER_BOARD
    assert sum(len(group.entries) for group in board.groups) <= 5 * GROUP_LIMIT + TOUCH_LIMIT
