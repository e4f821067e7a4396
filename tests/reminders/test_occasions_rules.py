"""Property tests of the pure occasion rules (no database)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reminders import keys
from reminders.models import ReminderKind
from reminders.occasions import (
    BIRTHDAY,
    CAREER_MOVE_OPEN_DAYS,
    CUSTOM,
    JOB_CHANGE,
    KEEP_IN_TOUCH,
    PROMOTION,
    WORK_ANNIVERSARY,
    ContactFacts,
    CustomDateFacts,
    PositionFacts,
    Rules,
    birthdays,
    career_move,
    custom_dates,
    is_leap,
    is_milestone,
    keep_in_touch,
    occasions_between,
    on_year,
    work_anniversaries,
)

DEFAULT = Rules(cadences={"close": 30, "know_well": 90, "acquaintance": 180})
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))
windows = st.integers(min_value=0, max_value=800)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def default_milestone(years: int) -> bool:
    return years in (1, 5, 10) or (years > 10 and years % 5 == 0)


def test_it_uses_the_reminder_kind_values_of_the_model() -> None:
    # Every kind these date rules make is a kind of the model (which also has kinds made
    # elsewhere: a waiting introduction comes from reminders.introduction_reminders).
    assert {BIRTHDAY, CUSTOM, JOB_CHANGE, KEEP_IN_TOUCH, PROMOTION, WORK_ANNIVERSARY} <= set(
        ReminderKind.values
    )


@given(st.integers(min_value=-3, max_value=200))
def test_it_counts_the_listed_years_then_every_five_as_milestones(years: int) -> None:
    assert is_milestone(years, (1, 5, 10), 5) == default_milestone(years)


@given(st.sets(st.integers(1, 60), max_size=5), st.integers(0, 20), st.integers(1, 120))
def test_it_never_calls_a_year_after_the_last_listed_one_a_milestone_off_the_step(
    listed: set[int], every: int, years: int
) -> None:
    last = max(listed, default=0)
    expected = years in listed or (every > 0 and years > last and (years - last) % every == 0)
    assert is_milestone(years, listed, every) == expected


@settings(max_examples=300)
@given(start=dates, today=dates, span=windows)
def test_it_raises_work_anniversaries_exactly_on_milestone_anniversaries(
    start: date, today: date, span: int
) -> None:
    end = today + timedelta(days=span)
    position = PositionFacts(id=7, contact_id=3, company="Acme", start_date=start)
    found = {o.due_on: o for o in work_anniversaries(position, rules=DEFAULT, start=today, end=end)}
    expected = {
        day: day.year - start.year
        for day in days(today, end)
        if day == on_year(start.month, start.day, day.year)
        and default_milestone(day.year - start.year)
    }
    assert {d: o.years for d, o in found.items()} == expected
    for due, occasion in found.items():
        assert occasion.kind == WORK_ANNIVERSARY
        assert occasion.occasion_key == keys.anniversary_key(7, due.year - start.year)
        assert occasion.position_id == 7


@given(
    start=dates,
    end_date=dates,
    today=dates,
    span=windows,
    move=st.sampled_from(["first", "job_change", "promotion"]),
)
def test_it_raises_nothing_for_positions_that_ended(
    start: date, end_date: date, today: date, span: int, move: str
) -> None:
    position = PositionFacts(
        id=1, contact_id=1, start_date=start, end_date=max(start, end_date), move=move
    )
    found = occasions_between(
        contacts=[ContactFacts(id=1)],
        positions=[position],
        rules=DEFAULT,
        start=today,
        end=today + timedelta(days=span),
    )
    assert found == []


@given(year=st.integers(1901, 2099))
def test_it_moves_29_february_birthdays_to_28_february_in_other_years(year: int) -> None:
    contact = ContactFacts(id=1, birthday_month=2, birthday_day=29, birthday_year=1900)
    found = birthdays(contact, start=date(year, 1, 1), end=date(year, 12, 31))
    assert len(found) == 1
    assert found[0].due_on == (date(year, 2, 29) if is_leap(year) else date(year, 2, 28))
    assert found[0].occasion_key == keys.birthday_key(year)


@given(birthday=dates, today=dates, span=windows, with_year=st.booleans())
def test_it_raises_one_birthday_a_year_with_an_age_only_when_the_year_is_known(
    birthday: date, today: date, span: int, with_year: bool
) -> None:
    contact = ContactFacts(
        id=4,
        birthday_year=birthday.year if with_year else None,
        birthday_month=birthday.month,
        birthday_day=birthday.day,
    )
    end = today + timedelta(days=span)
    found = birthdays(contact, start=today, end=end)
    expected = [
        day
        for day in days(today, end)
        if day == on_year(birthday.month, birthday.day, day.year)
        and (not with_year or day.year > birthday.year)
    ]
    assert [o.due_on for o in found] == expected
    for occasion in found:
        assert occasion.years == (occasion.due_on.year - birthday.year if with_year else None)
        assert occasion.occasion_key == keys.birthday_key(occasion.due_on.year)


@given(began=dates, today=dates)
def test_it_keeps_a_job_change_open_for_two_weeks_from_its_start(began: date, today: date) -> None:
    position = PositionFacts(
        id=9, contact_id=2, company="Initech", start_date=began, move=JOB_CHANGE
    )
    found = career_move(position, start=today, end=today + timedelta(days=14))
    open_now = today - timedelta(days=CAREER_MOVE_OPEN_DAYS) <= began <= today + timedelta(days=14)
    assert bool(found) == open_now
    if found:
        assert found[0].due_on == began
        assert found[0].occasion_key == keys.career_move_key(9)


def test_it_dates_a_detected_promotion_from_its_detection_day() -> None:
    position = PositionFacts(
        id=5, contact_id=2, title="CTO", detected_on=date(2026, 3, 2), move=PROMOTION
    )
    [found] = career_move(position, start=date(2026, 3, 1), end=date(2026, 3, 14))
    assert (found.kind, found.due_on, found.label) == (
        PROMOTION,
        date(2026, 3, 2),
        "Promotion: CTO (noticed on 2026-03-02; start date unknown)",
    )


def test_it_raises_no_career_move_for_a_first_known_job() -> None:
    position = PositionFacts(id=5, contact_id=2, start_date=date(2026, 3, 2), move="first")
    assert career_move(position, start=date(2026, 3, 1), end=date(2026, 3, 14)) == []


@given(last=dates, cadence=st.integers(1, 400), today=dates)
def test_it_raises_keep_in_touch_from_last_touch_plus_cadence_and_keeps_it_open(
    last: date, cadence: int, today: date
) -> None:
    contact = ContactFacts(id=1, trust_level="close", keep_in_touch_days=cadence, last_touch=last)
    end = today + timedelta(days=14)
    found = keep_in_touch(contact, rules=DEFAULT, start=today, end=end)
    due = last + timedelta(days=cadence)
    assert [o.due_on for o in found] == ([due] if due <= end else [])
    assert all(o.occasion_key == keys.keep_in_touch_key(due) for o in found)
    calendar = keep_in_touch(contact, rules=DEFAULT, start=today, end=end, include_open=False)
    assert [o.due_on for o in calendar] == ([due] if today <= due <= end else [])


def test_it_never_raises_keep_in_touch_when_the_contact_says_never() -> None:
    contact = ContactFacts(
        id=1, trust_level="close", keep_in_touch_days=0, last_touch=date(2020, 1, 1)
    )
    assert keep_in_touch(contact, rules=DEFAULT, start=date(2026, 1, 1), end=date(2026, 2, 1)) == []


def test_it_uses_the_trust_level_cadence_by_default() -> None:
    contact = ContactFacts(id=1, trust_level="close", last_touch=date(2026, 1, 1))
    [found] = keep_in_touch(contact, rules=DEFAULT, start=date(2026, 1, 20), end=date(2026, 2, 3))
    assert found.due_on == date(2026, 1, 31)


@given(when=dates, today=dates, span=windows, yearly=st.booleans())
def test_it_raises_custom_dates_once_or_every_year_from_the_date(
    when: date, today: date, span: int, yearly: bool
) -> None:
    item = CustomDateFacts(
        id=3, contact_id=1, label="Wedding anniversary", date=when, yearly=yearly
    )
    end = today + timedelta(days=span)
    found = custom_dates(item, start=today, end=end)
    if yearly:
        expected = [
            d
            for d in days(today, end)
            if d.year >= when.year and d == on_year(when.month, when.day, d.year)
        ]
    else:
        expected = [when] if today <= when <= end else []
    assert [o.due_on for o in found] == expected
    assert all(o.occasion_key == keys.custom_date_key(3, o.due_on) for o in found)
    assert all(o.label == "Wedding anniversary" for o in found)


@given(
    level=st.sampled_from([None, "following", "met", "acquaintance", "know_well", "close"]),
    opt_in=st.booleans(),
)
def test_it_skips_following_contacts_unless_opted_in_and_treats_unrated_like_met(
    level: str | None, opt_in: bool
) -> None:
    rules = Rules(remind_following=opt_in)
    contact = ContactFacts(id=1, trust_level=level, birthday_month=6, birthday_day=1)
    found = occasions_between(
        contacts=[contact], rules=rules, start=date(2026, 5, 25), end=date(2026, 6, 8)
    )
    assert bool(found) == (level != "following" or opt_in)


def test_it_ignores_facts_of_contacts_not_given() -> None:
    found = occasions_between(
        contacts=[],
        positions=[PositionFacts(id=1, contact_id=1, start_date=date(2025, 6, 1))],
        custom=[CustomDateFacts(id=1, contact_id=1, label="x", date=date(2020, 6, 1))],
        rules=DEFAULT,
        start=date(2026, 5, 25),
        end=date(2026, 6, 8),
    )
    assert found == []


def test_it_sorts_occasions_by_date() -> None:
    found = occasions_between(
        contacts=[
            ContactFacts(id=1, birthday_month=6, birthday_day=5),
            ContactFacts(id=2, birthday_month=5, birthday_day=30),
        ],
        positions=[PositionFacts(id=1, contact_id=1, start_date=date(2025, 6, 1))],
        rules=DEFAULT,
        start=date(2026, 5, 25),
        end=date(2026, 6, 8),
    )
    assert [o.due_on for o in found] == [date(2026, 5, 30), date(2026, 6, 1), date(2026, 6, 5)]
