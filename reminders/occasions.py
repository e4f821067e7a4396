"""When is something worth remembering due? Pure date rules, no database.

The scan (reminders.scan) loads plain facts about a user's contacts with a few
queries, hands them to `occasions_between()`, and stores what comes back as
Reminder rows. The calendar feed and the dashboard reuse the same functions, so
every part of Rapport agrees on what is due when.

Kinds are the string values of reminders.models.ReminderKind; occasion keys come
from reminders.keys so a scan and a user's snooze meet on the same row. The
keep-in-touch rule (cadence, clock start, due date) is reminders.keep_in_touch's.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext, ngettext

from contacts.models import job_phrase
from reminders import keys
from reminders.keep_in_touch import cadence_of, due_date

# String values of reminders.models.ReminderKind, so the rules read as plain data
# (they must stay in step with it, which tests check).
JOB_CHANGE = "job_change"
PROMOTION = "promotion"
WORK_ANNIVERSARY = "work_anniversary"
BIRTHDAY = "birthday"
KEEP_IN_TOUCH = "keep_in_touch"
CUSTOM = "custom"

FOLLOWING = "following"
# A job change or promotion stays worth a note for two weeks after it happens.
CAREER_MOVE_OPEN_DAYS = 14
CAREER_MOVES = {JOB_CHANGE, PROMOTION}


@dataclass(frozen=True)
class Occasion:
    kind: str
    contact_id: int
    due_on: date
    occasion_key: str
    position_id: int | None = None
    custom_date_id: int | None = None
    years: int | None = None
    label: str = ""


@dataclass(frozen=True)
class ContactFacts:
    """What the rules need to know about one contact."""

    id: int
    trust_level: str | None = None
    birthday_year: int | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    # None: the trust level's default cadence; 0: never; N: every N days.
    keep_in_touch_days: int | None = None
    # Where the clock starts: reminders.keep_in_touch.clock_start().
    last_touch: date | None = None


@dataclass(frozen=True)
class PositionFacts:
    id: int
    contact_id: int
    company: str = ""
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    detected_on: date | None = None
    # contacts.models.CareerMove value: first, job_change, promotion or unchanged.
    move: str = "first"

    @property
    def began_on(self) -> date | None:
        return self.start_date or self.detected_on

    @property
    def description(self) -> str:
        return job_phrase(self.title, self.company)


@dataclass(frozen=True)
class CustomDateFacts:
    id: int
    contact_id: int
    label: str
    date: date
    yearly: bool = True


@dataclass(frozen=True)
class Rules:
    """A user's reminder preferences (crm.models.UserSettings, as plain values)."""

    milestone_years: tuple[int, ...] = (1, 5, 10)
    milestone_every: int = 5
    remind_following: bool = False
    # Keep-in-touch cadence in days per trust level (None key: not rated yet).
    cadences: Mapping[str | None, int | None] = field(default_factory=dict)


# --- Calendar helpers -------------------------------------------------------------


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def on_year(month: int, day: int, year: int) -> date:
    """`month`/`day` in `year`; 29 February falls on 28 February in other years."""
    if month == 2 and day == 29 and not is_leap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def _years(start: date, end: date) -> range:
    return range(start.year, end.year + 1)


# --- Rules, one per kind ---------------------------------------------------------------


def is_milestone(years: int, listed: Iterable[int], every: int) -> bool:
    """Listed years are milestones; after the last of them, every `every` years."""
    listed = sorted(set(listed))
    if years <= 0:
        return False
    if years in listed:
        return True
    last = listed[-1] if listed else 0
    return every > 0 and years > last and (years - last) % every == 0


def work_anniversaries(
    position: PositionFacts, *, rules: Rules, start: date, end: date
) -> list[Occasion]:
    """Milestone anniversaries of a current position's start date."""
    if position.end_date is not None or position.start_date is None:
        return []
    began = position.start_date
    found = []
    for year in _years(start, end):
        years = year - began.year
        due = on_year(began.month, began.day, year)
        if not (start <= due <= end) or not is_milestone(
            years, rules.milestone_years, rules.milestone_every
        ):
            continue
        found.append(
            Occasion(
                kind=WORK_ANNIVERSARY,
                contact_id=position.contact_id,
                due_on=due,
                occasion_key=keys.anniversary_key(position.id, years),
                position_id=position.id,
                years=years,
                label=_anniversary_label(years, position.company),
            )
        )
    return found


def _anniversary_label(years: int, company: str) -> str:
    if company:
        return ngettext(
            "%(years)d year at %(company)s", "%(years)d years at %(company)s", years
        ) % {"years": years, "company": company}
    return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}


def career_move(
    position: PositionFacts, *, start: date, end: date, include_open: bool = True
) -> list[Occasion]:
    """A job change or promotion is due when it began and stays open two weeks.

    With `include_open`, one that began up to two weeks before `start` is still
    returned (the scan keeps offering it); without, only those due in the range.
    """
    began = position.began_on
    if position.move not in CAREER_MOVES or position.end_date is not None or began is None:
        return []
    earliest = start - timedelta(days=CAREER_MOVE_OPEN_DAYS) if include_open else start
    if not (earliest <= began <= end):
        return []
    noun = gettext("New job") if position.move == JOB_CHANGE else gettext("Promotion")
    label = (
        gettext("%(move)s: %(job)s") % {"move": noun, "job": position.description}
        if position.description
        else noun
    )
    if position.start_date is None:
        # An import noticed it that day; when the job really began is not known.
        label = gettext("%(label)s (noticed on %(date)s; start date unknown)") % {
            "label": label,
            "date": began.isoformat(),
        }
    return [
        Occasion(
            kind=position.move,
            contact_id=position.contact_id,
            due_on=began,
            occasion_key=keys.career_move_key(position.id),
            position_id=position.id,
            label=label,
        )
    ]


def birthdays(contact: ContactFacts, *, start: date, end: date) -> list[Occasion]:
    """Birthdays with or without a year; the age is known only with one."""
    month, day = contact.birthday_month, contact.birthday_day
    if month is None or day is None:
        return []
    found = []
    for year in _years(start, end):
        try:
            due = on_year(month, day, year)
        except ValueError:  # an impossible stored date such as 31 April
            return []
        if not (start <= due <= end):
            continue
        age = year - contact.birthday_year if contact.birthday_year else None
        if age is not None and age <= 0:
            continue
        found.append(
            Occasion(
                kind=BIRTHDAY,
                contact_id=contact.id,
                due_on=due,
                occasion_key=keys.birthday_key(year),
                years=age,
                label=gettext("Turns %(age)d") % {"age": age} if age else gettext("Birthday"),
            )
        )
    return found


def cadence_for(contact: ContactFacts, rules: Rules) -> int | None:
    """Days between touches for this contact; None means never remind."""
    cadence = cadence_of(
        own_days=contact.keep_in_touch_days,
        trust_level=contact.trust_level,
        cadences=rules.cadences,
    )
    return cadence or None


def keep_in_touch(
    contact: ContactFacts, *, rules: Rules, start: date, end: date, include_open: bool = True
) -> list[Occasion]:
    """Due at last touch + cadence; once due it stays open (with `include_open`)."""
    cadence = cadence_for(contact, rules)
    if cadence is None or contact.last_touch is None:
        return []
    if contact.last_touch > end:
        return []  # a touch "in the future" (an imported typo such as 9999-12-31)
    due = due_date(contact.last_touch, cadence)
    if due is None or due > end or (not include_open and due < start):
        return []
    return [
        Occasion(
            kind=KEEP_IN_TOUCH,
            contact_id=contact.id,
            due_on=due,
            occasion_key=keys.keep_in_touch_key(due),
            years=None,
            label=ngettext(
                "Keep in touch (every %(days)d day)", "Keep in touch (every %(days)d days)", cadence
            )
            % {"days": cadence},
        )
    ]


def custom_dates(custom: CustomDateFacts, *, start: date, end: date) -> list[Occasion]:
    """One-off dates once; yearly ones every year from the date on (29 Feb rule)."""
    if not custom.yearly:
        dues = [custom.date] if start <= custom.date <= end else []
    else:
        dues = [
            due
            for year in _years(start, end)
            if year >= custom.date.year
            and start <= (due := on_year(custom.date.month, custom.date.day, year)) <= end
        ]
    return [
        Occasion(
            kind=CUSTOM,
            contact_id=custom.contact_id,
            due_on=due,
            occasion_key=keys.custom_date_key(custom.id, due),
            custom_date_id=custom.id,
            years=(due.year - custom.date.year) or None if custom.yearly else None,
            label=custom.label,
        )
        for due in dues
    ]


def raises_occasions(trust_level: str | None, rules: Rules) -> bool:
    """`following` contacts raise nothing unless opted in; not rated behaves like met."""
    return trust_level != FOLLOWING or rules.remind_following


def occasions_between(
    *,
    contacts: Iterable[ContactFacts],
    positions: Iterable[PositionFacts] = (),
    custom: Iterable[CustomDateFacts] = (),
    rules: Rules,
    start: date,
    end: date,
    include_open: bool = True,
) -> list[Occasion]:
    """Every occasion due from `start` to `end` (inclusive), sorted by date.

    With `include_open` (the scan), occasions that fell due before `start` but are
    still open are included too: overdue keep-in-touch and career moves of the last
    two weeks. Without it (calendars), only occasions due within the range.
    Positions and custom dates of contacts not in `contacts` are ignored.
    """
    if end < start:
        return []
    people = {c.id: c for c in contacts if raises_occasions(c.trust_level, rules)}
    found: list[Occasion] = []
    for contact in people.values():
        found += birthdays(contact, start=start, end=end)
        found += keep_in_touch(
            contact, rules=rules, start=start, end=end, include_open=include_open
        )
    for position in positions:
        if position.contact_id in people:
            found += work_anniversaries(position, rules=rules, start=start, end=end)
            found += career_move(position, start=start, end=end, include_open=include_open)
    for item in custom:
        if item.contact_id in people:
            found += custom_dates(item, start=start, end=end)
    found.sort(key=lambda o: (o.due_on, o.kind, o.contact_id, o.occasion_key))
    return found
