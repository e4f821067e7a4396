"""The keep-in-touch rule as pure functions: cadence, clock start, due date (no database)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from reminders import occasions
from reminders.keep_in_touch import (
    ADDED,
    INTERACTION,
    MET,
    KeepInTouchStatus,
    cadence_of,
    clock_start,
    due_date,
    status_on,
)

CADENCES: dict[str | None, int | None] = {
    "close": 30,
    "know_well": 90,
    "acquaintance": 180,
    "met": None,
    "following": None,
    None: 45,
}
TODAY = date(2026, 11, 20)


def test_it_prefers_the_contacts_own_cadence_and_zero_means_never() -> None:
    assert cadence_of(own_days=7, trust_level="close", cadences=CADENCES) == 7
    assert cadence_of(own_days=0, trust_level="close", cadences=CADENCES) == 0
    assert cadence_of(own_days=None, trust_level="close", cadences=CADENCES) == 30
    assert cadence_of(own_days=None, trust_level="met", cadences=CADENCES) is None


def test_it_gives_unrated_and_unknown_levels_the_not_rated_cadence() -> None:
    assert cadence_of(own_days=None, trust_level=None, cadences=CADENCES) == 45
    assert cadence_of(own_days=None, trust_level="bestie", cadences=CADENCES) == 45


def test_it_starts_the_clock_at_the_last_interaction_even_before_the_contact_was_added() -> None:
    start = clock_start(
        last_interaction_on=date(2024, 1, 1), met_on=date(2023, 1, 1), added_on=TODAY
    )
    assert start == (date(2024, 1, 1), INTERACTION)


def test_it_starts_at_the_day_we_met_when_that_is_after_adding_them() -> None:
    met = TODAY + timedelta(days=3)  # added ahead of a planned meeting
    assert clock_start(last_interaction_on=None, met_on=met, added_on=TODAY) == (met, MET)
    assert clock_start(last_interaction_on=None, met_on=TODAY, added_on=TODAY) == (TODAY, MET)


def _close_added_today(
    *, today: date = TODAY, last_interaction_on: date | None = None, met_on: date | None = None
) -> KeepInTouchStatus:
    """The rule for a close contact (every 30 days, no cadence of its own) added on TODAY."""
    return status_on(
        today=today,
        own_days=None,
        trust_level="close",
        cadences=CADENCES,
        last_interaction_on=last_interaction_on,
        met_on=met_on,
        added_on=TODAY,
    )


def test_a_contact_added_today_whom_we_met_long_ago_is_not_overdue() -> None:
    status = _close_added_today(met_on=TODAY - timedelta(days=534))
    assert (status.last_touch, status.last_touch_kind) == (TODAY, ADDED)
    assert not status.is_due and status.days_overdue == 0 and status.days_left == 30


def test_it_is_due_exactly_when_the_cadence_has_passed() -> None:
    def on(day: date) -> bool:
        return _close_added_today(today=day, last_interaction_on=TODAY).is_due

    assert not on(TODAY + timedelta(days=29))
    assert on(TODAY + timedelta(days=30))


def test_it_has_no_due_date_without_a_cadence_and_never_overflows() -> None:
    assert due_date(TODAY, None) is None and due_date(TODAY, 0) is None
    assert due_date(date(9999, 12, 1), 90) == date.max


@given(
    last=st.none() | st.dates(),
    met=st.none() | st.dates(),
    added=st.dates(min_value=date(1990, 1, 1)),
)
def test_the_clock_never_starts_before_the_contact_was_added_unless_we_talked(
    last: date | None, met: date | None, added: date
) -> None:
    start, kind = clock_start(last_interaction_on=last, met_on=met, added_on=added)
    if last is not None:
        assert (start, kind) == (last, INTERACTION)
    else:
        assert start >= added
        assert kind == (MET if met is not None and met >= added else ADDED)


@given(
    own=st.none() | st.integers(min_value=0, max_value=5000),
    level=st.sampled_from([*CADENCES, "unknown"]),
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
)
def test_the_scan_raises_keep_in_touch_on_the_rules_due_date(
    own: int | None, level: str | None, start: date
) -> None:
    rules = occasions.Rules(cadences=CADENCES)
    facts = occasions.ContactFacts(
        id=1, trust_level=level, keep_in_touch_days=own, last_touch=start
    )
    found = occasions.keep_in_touch(facts, rules=rules, start=start, end=date(2200, 1, 1))
    due = due_date(start, cadence_of(own_days=own, trust_level=level, cadences=CADENCES))
    assert [o.due_on for o in found] == ([] if due is None else [due])
