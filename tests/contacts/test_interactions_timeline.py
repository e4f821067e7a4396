"""The timeline's order and pagination, and the sparkline's monthly counts."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import CareerMove, Contact, Interaction, InteractionKind
from contacts.sparkline import HEIGHT, build_sparkline, interactions_per_month, month_starts
from contacts.timeline import EntryKind, contact_timeline_page, timeline_page
from tests.factories import ContactFactory, PositionFactory, log_interaction

pytestmark = pytest.mark.django_db


def _log(
    owner: User, on: date, *people: Contact, kind: str = "call", summary: str = "x"
) -> Interaction:
    return log_interaction(owner, people, on=on, summary=summary, kind=kind)


def test_it_merges_met_interactions_job_changes_and_notes_newest_first(user: User) -> None:
    ann = ContactFactory(owner=user, met_on=date(2019, 5, 1), how_we_met="PyCon")
    _log(user, date(2024, 1, 10), ann, summary="Coffee")
    _log(user, date(2025, 6, 1), ann, kind=InteractionKind.NOTE_SENT, summary="Congrats")
    PositionFactory(
        contact=ann, start_date=date(2020, 2, 1), end_date=date(2024, 8, 31), move=CareerMove.FIRST
    )
    PositionFactory(
        contact=ann,
        start_date=date(2024, 9, 1),
        end_date=date(2025, 7, 31),
        move=CareerMove.JOB_CHANGE,
    )
    PositionFactory(
        contact=ann, start_date=None, detected_on=date(2025, 8, 1), move=CareerMove.PROMOTION
    )

    page = timeline_page(ann, 1)

    assert [(e.kind, e.on) for e in page.entries] == [
        (EntryKind.PROMOTION, date(2025, 8, 1)),
        (EntryKind.NOTE_SENT, date(2025, 6, 1)),
        (EntryKind.JOB_CHANGE, date(2024, 9, 1)),
        (EntryKind.INTERACTION, date(2024, 1, 10)),
        (EntryKind.MET, date(2019, 5, 1)),
    ]
    assert not page.has_next


def test_it_puts_an_undated_how_we_met_at_the_start_of_the_story(user: User) -> None:
    ann = ContactFactory(owner=user, how_we_met="Through Bea")
    _log(user, date(2024, 1, 10), ann)
    kinds = [e.kind for e in timeline_page(ann, 1).entries]
    assert kinds == [EntryKind.INTERACTION, EntryKind.MET]


def test_it_orders_same_day_interactions_by_time(user: User) -> None:
    ann = ContactFactory(owner=user)
    morning = log_interaction(user, [ann], on=date(2024, 1, 1), summary="am", occurred_at=time(9))
    evening = log_interaction(user, [ann], on=date(2024, 1, 1), summary="pm", occurred_at=time(20))
    assert [e.obj for e in timeline_page(ann, 1).entries] == [evening, morning]


def test_it_paginates_without_gaps_or_repeats(user: User) -> None:
    ann = ContactFactory(owner=user, met_on=date(2000, 1, 1))
    start = date(2020, 1, 1)
    for i in range(45):
        _log(user, start + timedelta(days=i), ann, summary=f"n{i}")
    PositionFactory(contact=ann, start_date=start + timedelta(days=20), move="job_change")

    pages = [timeline_page(ann, n, per_page=20) for n in (1, 2, 3)]
    assert [len(p.entries) for p in pages] == [20, 20, 7]
    assert [p.has_next for p in pages] == [True, True, False]
    seen = [e for p in pages for e in p.entries]
    assert len({(e.kind, getattr(e.obj, "pk", 0)) for e in seen}) == 47
    dates = [e.on for e in seen if e.on is not None]
    assert len(dates) == len(seen)
    assert dates == sorted(dates, reverse=True)
    assert seen[-1].kind is EntryKind.MET


def test_it_only_shows_this_contacts_history(user: User, other_user: User) -> None:
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    _log(user, date(2024, 1, 1), bob)
    assert timeline_page(ann, 1).entries == []


def test_it_builds_a_page_in_a_fixed_number_of_queries(user: User) -> None:
    ann = ContactFactory(owner=user)
    others = [ContactFactory(owner=user) for _ in range(3)]
    for i in range(30):
        _log(user, date(2024, 1, 1) + timedelta(days=i), ann, *others)
    with CaptureQueriesContext(connection) as queries:
        page = timeline_page(ann, 2)
        for entry in page.entries:
            list(entry.obj.contacts.all())
    # interactions (ids from the link table in the same query), their people, career moves
    assert len(queries.captured_queries) == 3


def test_it_counts_interactions_per_month_over_24_months(user: User) -> None:
    ann = ContactFactory(owner=user)
    today = date(2026, 11, 20)
    _log(user, date(2026, 11, 1), ann)
    _log(user, date(2026, 11, 19), ann)
    _log(user, date(2026, 2, 28), ann)
    _log(user, date(2024, 12, 1), ann)  # the oldest month shown
    _log(user, date(2024, 11, 30), ann)  # too old
    _log(user, date(2026, 5, 5), ContactFactory(owner=user))  # someone else

    with CaptureQueriesContext(connection) as queries:
        spark = interactions_per_month(ann, today)
    assert len(queries.captured_queries) == 1

    assert len(spark.bars) == 24
    assert spark.bars[0].month == date(2024, 12, 1)
    assert spark.bars[-1].month == date(2026, 11, 1)
    counts = {b.month: b.count for b in spark.bars if b.count}
    assert counts == {date(2024, 12, 1): 1, date(2026, 2, 1): 1, date(2026, 11, 1): 2}
    assert spark.total == 4
    assert spark.bars[-1].height == HEIGHT
    assert "4 interactions from December 2024 to November 2026" in spark.summary
    assert "busiest month was November 2026 with 2" in spark.summary


def test_it_counts_a_multi_person_interaction_once(user: User) -> None:
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    _log(user, date(2026, 11, 1), ann, bob)
    assert interactions_per_month(ann, date(2026, 11, 20)).total == 1


def test_it_describes_an_empty_sparkline() -> None:
    spark = build_sparkline(month_starts(date(2026, 1, 15)), {})
    assert spark.total == 0 and spark.busiest is None
    assert all(bar.height == 0 for bar in spark.bars)
    assert spark.summary == "No interactions from February 2024 to January 2026."


def test_it_keeps_quiet_months_visible_next_to_busy_ones() -> None:
    months = month_starts(date(2026, 1, 15))
    spark = build_sparkline(months, {(2026, 1): 100, (2025, 1): 1})
    heights = {b.month: b.height for b in spark.bars if b.count}
    assert heights[date(2026, 1, 1)] == HEIGHT
    assert heights[date(2025, 1, 1)] >= 2


def test_it_opens_with_the_newest_ten_then_adds_twenty_at_a_time(user: User) -> None:
    ann = ContactFactory(owner=user)
    for i in range(35):
        _log(user, date(2020, 1, 1) + timedelta(days=i), ann, summary=f"n{i}")

    pages = [contact_timeline_page(ann, n) for n in (1, 2, 3)]
    assert [len(p.entries) for p in pages] == [10, 20, 5]
    assert [p.has_next for p in pages] == [True, True, False]
    summaries = [e.obj.summary for p in pages for e in p.entries]
    assert summaries == [f"n{i}" for i in range(34, -1, -1)]
