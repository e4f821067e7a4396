"""Keeping in touch: the one home of the rule.

Every page that says whether someone is due a conversation (the contact page,
*Losing touch*, the dashboard's glance and its keep-in-touch entries, the scan,
the digest and the calendar feed) asks this module, so they cannot disagree.

The rule, in order:

1. **Cadence.** A contact's own `keep_in_touch_days` (0 = never), else the
   default of its trust level in the owner's settings (None = no cadence; not
   rated, or a level we do not know, takes the "not rated" default).
2. **Clock start.** The last interaction; else when you met, but never before
   the day the contact was added (someone added today whom you met two years
   ago is not "overdue by 700 days" at once); else the day they were added.
   A logged interaction counts as it is dated: that is history the user gave.
3. **Due** on clock start + cadence, and due it stays until the clock moves.
4. **The round.** Each due date is one round, stored as the keep-in-touch
   Reminder keyed by that date (reminders.keys.keep_in_touch_key). Snoozing,
   dismissing or marking the round done acts on that row through the reminder
   services; logging an interaction moves the clock, which starts a new round
   and settles the old one (reminders.scan.scan_contacts).

The first part is pure date rules, tested without a database; the second is
the same rules in SQL for lists, then the lookups of a round's reminder.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf, TruncDate
from django.utils.translation import gettext_lazy

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings
from reminders.keys import keep_in_touch_key
from reminders.models import Reminder, ReminderKind, ReminderStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How long a due contact can be snoozed from *Losing touch* and the contact page.
SNOOZE_CHOICES: dict[int, "StrOrPromise"] = {
    7: gettext_lazy("1 week"),
    14: gettext_lazy("2 weeks"),
    30: gettext_lazy("1 month"),
    90: gettext_lazy("3 months"),
}

# What started the clock (KeepInTouchStatus.last_touch_kind).
INTERACTION = "interaction"
MET = "met"
ADDED = "added"

# --- Pure rules ---------------------------------------------------------------------


def cadence_of(
    *, own_days: int | None, trust_level: str | None, cadences: Mapping[str | None, int | None]
) -> int | None:
    """Days between touches: 0 means never, None means the level has no cadence."""
    if own_days is not None:
        return own_days
    if trust_level in cadences and trust_level is not None:
        return cadences[trust_level]
    return cadences.get(None)


def clock_start(
    *, last_interaction_on: date | None, met_on: date | None, added_on: date
) -> tuple[date, str]:
    """The day the keep-in-touch clock counts from, and what set it."""
    if last_interaction_on is not None:
        return last_interaction_on, INTERACTION
    if met_on is not None and met_on >= added_on:
        return met_on, MET
    return added_on, ADDED


def due_date(start: date, cadence: int | None) -> date | None:
    """When the round falls due; None without a cadence."""
    if not cadence:
        return None
    try:
        return start + timedelta(days=cadence)
    except OverflowError:  # a touch near year 9999 (an imported typo): never due
        return date.max


@dataclass(frozen=True)
class KeepInTouchStatus:
    """Where one contact stands on its keep-in-touch clock on a given day."""

    cadence: int | None
    cadence_from_contact: bool
    last_touch: date
    last_touch_kind: str  # INTERACTION, MET or ADDED
    today: date

    @property
    def never(self) -> bool:
        return self.cadence == 0

    @property
    def has_cadence(self) -> bool:
        return bool(self.cadence)

    @property
    def due_on(self) -> date | None:
        return due_date(self.last_touch, self.cadence)

    @property
    def is_due(self) -> bool:
        return self.due_on is not None and self.due_on <= self.today

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due_on).days if self.due_on and self.is_due else 0

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days if self.due_on and not self.is_due else 0

    @property
    def round_key(self) -> str | None:
        """The occasion key of this round's reminder."""
        return keep_in_touch_key(self.due_on) if self.due_on else None


def status_on(
    *,
    today: date,
    own_days: int | None,
    trust_level: str | None,
    cadences: Mapping[str | None, int | None],
    last_interaction_on: date | None,
    met_on: date | None,
    added_on: date,
) -> KeepInTouchStatus:
    """The whole rule from plain facts."""
    start, kind = clock_start(
        last_interaction_on=last_interaction_on, met_on=met_on, added_on=added_on
    )
    return KeepInTouchStatus(
        cadence=cadence_of(own_days=own_days, trust_level=trust_level, cadences=cadences),
        cadence_from_contact=own_days is not None,
        last_touch=start,
        last_touch_kind=kind,
        today=today,
    )


# --- One contact --------------------------------------------------------------------


def added_on(contact: Contact, zone: tzinfo | None = None) -> date:
    created = contact.created_at.astimezone(zone) if zone else contact.created_at
    return created.date()


def keep_in_touch_status(
    contact: Contact, settings: UserSettings, today: date
) -> KeepInTouchStatus:
    """The keep-in-touch status of one contact (no query)."""
    return status_on(
        today=today,
        own_days=contact.keep_in_touch_days,
        trust_level=contact.trust_level,
        cadences=settings.cadences(),
        last_interaction_on=contact.last_interaction_on,
        met_on=contact.met_on,
        added_on=added_on(contact, settings.zone),
    )


def round_reminder(contact: Contact, status: KeepInTouchStatus) -> Reminder | None:
    """The reminder of the current round, whatever its state (one query; none if no cadence)."""
    if status.round_key is None:
        return None
    return Reminder.objects.filter(
        contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, occasion_key=status.round_key
    ).first()


def round_settled(reminder: Reminder | None, today: date) -> bool:
    """True when the user has dealt with this round: dismissed, done, or snoozed for now."""
    if reminder is None:
        return False
    if reminder.status == ReminderStatus.SNOOZED:
        return reminder.snoozed_until is not None and reminder.snoozed_until > today
    return reminder.status in (ReminderStatus.DONE, ReminderStatus.DISMISSED)


# --- The same rules in SQL, for lists -----------------------------------------------


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer, in SQL."""

    arity = 2
    output_field = IntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        # PostgreSQL: date - date is an integer number of days.
        left, left_params = compiler.compile(self.source_expressions[0])
        right, right_params = compiler.compile(self.source_expressions[1])
        return f"(({left})::date - ({right})::date)", (*left_params, *right_params)

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        left, left_params = compiler.compile(self.source_expressions[0])
        right, right_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST(ROUND(julianday({left}) - julianday({right})) AS INTEGER)"
        return sql, (*left_params, *right_params)


def cadence_expression(settings: UserSettings) -> Case:
    """cadence_of() in SQL: the row's own override, else its trust level's default."""
    whens = [When(keep_in_touch_days__isnull=False, then=F("keep_in_touch_days"))]
    whens += [
        When(trust_level=level, then=Value(settings.cadence_for(level)))
        for level in TrustLevel.values
    ]
    return Case(*whens, default=Value(settings.cadence_for(None)), output_field=IntegerField())


def clock_start_expression(settings: UserSettings) -> Coalesce:
    """clock_start() in SQL: last interaction, else met (not before added), else added."""
    added = TruncDate("created_at", tzinfo=settings.zone)
    # GREATEST ignores NULL on PostgreSQL but is NULL on SQLite; COALESCE covers both.
    met = Greatest("met_on", added, output_field=DateField())
    return Coalesce("last_interaction_on", met, added, output_field=DateField())


def trust_rank_expression() -> Case:
    """TrustLevel.rank() in SQL: closer is higher; not rated counts as `met`."""
    return Case(
        *[When(trust_level=level, then=Value(TrustLevel.rank(level))) for level in TrustLevel],
        default=Value(TrustLevel.rank(None)),
        output_field=IntegerField(),
    )


def with_keep_in_touch(
    queryset: QuerySet[Contact], settings: UserSettings, today: date
) -> QuerySet[Contact]:
    """Annotate `last_touch`, `cadence`, `days_since`, `overdue_ratio` and `closeness` in SQL."""
    return queryset.annotate(
        last_touch=clock_start_expression(settings),
        cadence=cadence_expression(settings),
        days_since=DaysBetween(Value(today, output_field=DateField()), F("last_touch")),
        overdue_ratio=Cast(F("days_since"), FloatField()) / NullIf(F("cadence"), Value(0)),
        closeness=trust_rank_expression(),
    )


def _may_be_due(settings: UserSettings, today: date) -> Q:
    """A cheap superset of the due contacts that the indexes can find.

    The exact test (`days_since >= cadence`) is an expression over every row, so on
    its own it scans the whole table. A contact without its own cadence can only be
    due if its last interaction is at least its level's cadence ago, or it has none
    (then "met on" or "added" decide); contacts with their own cadence are few and
    have a partial index. Both branches are served by indexes on Contact
    (contact_owner_trust_last_int, contact_owner_own_cadence), so the page grows
    with the due contacts, not with all of them.
    """
    may = Q(keep_in_touch_days__isnull=False)
    for level in [*TrustLevel.values, None]:
        cadence = settings.cadence_for(level)
        if not cadence:
            continue
        # Cadences are unbounded integers: clamp so the date cannot underflow.
        bound = today - timedelta(days=min(cadence, (today - date.min).days))
        stale = Q(last_interaction_on__lte=bound) | Q(last_interaction_on__isnull=True)
        # Not rated (NULL, or any value outside the levels) takes the "unrated" cadence.
        which = Q(trust_level=level) if level else ~Q(trust_level__in=TrustLevel.values)
        may |= which & stale
    return may


def _settled_rounds(today: date) -> QuerySet[Reminder]:
    """round_settled() in SQL, for the round of the contact in the outer query.

    A round is the reminder whose due date is exactly last touch + cadence: a
    reminder of an earlier round (snoozed before the last interaction) is not it.
    """
    return (
        Reminder.objects.filter(
            Q(status__in=[ReminderStatus.DONE, ReminderStatus.DISMISSED])
            | Q(status=ReminderStatus.SNOOZED, snoozed_until__gt=today),
            contact=OuterRef("pk"),
            kind=ReminderKind.KEEP_IN_TOUCH,
        )
        .annotate(gap=DaysBetween(F("due_on"), OuterRef("last_touch")))
        .filter(gap=OuterRef("cadence"))
    )


def due_contacts(owner: User, settings: UserSettings, today: date) -> QuerySet[Contact]:
    """The owner's contacts whose clock has run out and whose round is not dealt with.

    A round the user snoozed (until later), dismissed or marked done on the
    dashboard is off *Losing touch* too, so both say the same. Most overdue
    relative to cadence first; on ties, closer trust levels first. One query,
    whatever the number of contacts.
    """
    return (
        with_keep_in_touch(Contact.objects.owned_by(owner), settings, today)
        .filter(_may_be_due(settings, today))
        # django-stubs cannot see the annotations made in with_keep_in_touch().
        .filter(cadence__gt=0, days_since__gte=F("cadence"))  # type: ignore[misc]
        .exclude(Exists(_settled_rounds(today)))
        .order_by("-overdue_ratio", "-closeness", "-days_since", "last_name", "first_name", "id")
    )
