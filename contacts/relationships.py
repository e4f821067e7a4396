"""Interactions and the keep-in-touch clock they reset."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
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
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate

from contacts.models import Contact, Interaction, TrustLevel
from crm.models import UserSettings

if TYPE_CHECKING:
    from reminders.models import Reminder


def refresh_last_interaction(contact_ids: Iterable[int]) -> None:
    """Recompute Contact.last_interaction and last_interaction_on for these contacts.

    The newest interaction is the one the timeline shows first (Interaction's
    ordering: day, then time of day, then the later entry). One UPDATE: both
    columns come from the same ordered lookup, so they always agree.
    """
    ids = list(set(contact_ids))
    if not ids:
        return
    newest = Interaction.contacts.through.objects.filter(contact_id=OuterRef("pk")).order_by(
        "-interaction__occurred_on", "-interaction__occurred_at", "-interaction_id"
    )
    Contact.objects.filter(pk__in=ids).update(
        last_interaction=Subquery(newest.values("interaction_id")[:1]),
        last_interaction_on=Subquery(newest.values("interaction__occurred_on")[:1]),
    )


class _InArray(Func):
    """`column = ANY(ARRAY(subquery))`, PostgreSQL only: the subquery runs once, first."""

    arity = 2
    output_field = BooleanField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)


def interactions_of(contact: Contact) -> QuerySet[Interaction]:
    """The contact's interactions, found from the contact index of the link table.

    Joined, or as `IN (subquery)`, PostgreSQL expects the link rows of a long history
    to be many and may hash every user's interactions of a kind instead: 30 ms for a
    contact with 1,000 interactions among 300,000, against 1 ms when it first reads
    the ids and then probes the primary key, which `= ANY(ARRAY(...))` makes it do.
    """
    links = Interaction.contacts.through.objects.filter(contact=contact).values("interaction_id")
    if connection.vendor == "postgresql":
        return Interaction.objects.filter(_InArray(F("pk"), Subquery(links)))
    return Interaction.objects.filter(pk__in=links)


def _owned_contacts(owner: User, contacts: Iterable[Contact | int]) -> list[Contact]:
    ids = {c.pk if isinstance(c, Contact) else int(c) for c in contacts}
    if not ids:
        raise ValidationError("Choose at least one person.")
    found = list(Contact.objects.owned_by(owner).filter(pk__in=ids))
    if len(found) != len(ids):
        # Another user's id must never be linked, nor revealed to exist.
        raise ValidationError("Choose people from your own contacts.")
    return found


@transaction.atomic
def interaction_create(
    *,
    owner: User,
    kind: str,
    occurred_on: date,
    summary: str,
    contacts: Iterable[Contact | int],
    notes: str = "",
    occurred_at: time | None = None,
) -> Interaction:
    people = _owned_contacts(owner, contacts)
    interaction = Interaction(
        owner=owner,
        kind=kind,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        summary=summary,
        notes=notes,
    )
    interaction.full_clean(exclude=["owner"])
    interaction.save()
    interaction.contacts.set(people)
    refresh_last_interaction(c.pk for c in people)
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, contacts: Iterable[Contact | int] | None = None, **fields: Any
) -> Interaction:
    before = set(interaction.contacts.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.full_clean(exclude=["owner"])
    interaction.save()
    after = before
    if contacts is not None:
        people = _owned_contacts(interaction.owner, contacts)
        interaction.contacts.set(people)
        after = {c.pk for c in people}
    refresh_last_interaction(before | after)
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    affected = list(interaction.contacts.values_list("pk", flat=True))
    interaction.delete()
    refresh_last_interaction(affected)


# --- Keeping in touch ---------------------------------------------------------
#
# A contact's cadence is its own `keep_in_touch_days` (0 = never) or else the
# default of its trust level in the owner's UserSettings (None = no cadence).
# The clock starts at the last interaction, else the day we met, else the day
# the contact was added; the contact is due once `cadence` days have passed.


@dataclass(frozen=True)
class KeepInTouchStatus:
    """Where one contact stands on its keep-in-touch clock on a given day."""

    cadence: int | None
    cadence_from_contact: bool
    last_touch: date
    last_touch_kind: str  # "interaction", "met" or "added"
    today: date

    @property
    def never(self) -> bool:
        return self.cadence == 0

    @property
    def has_cadence(self) -> bool:
        return bool(self.cadence)

    @property
    def due_on(self) -> date | None:
        if not self.cadence:
            return None
        try:
            return self.last_touch + timedelta(days=self.cadence)
        except OverflowError:  # a touch near year 9999 (an imported typo): never due
            return date.max

    @property
    def is_due(self) -> bool:
        return self.due_on is not None and self.due_on <= self.today

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due_on).days if self.due_on and self.is_due else 0

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days if self.due_on and not self.is_due else 0


def last_touch_of(contact: Contact, zone: tzinfo | None = None) -> tuple[date, str]:
    if contact.last_interaction_on:
        return contact.last_interaction_on, "interaction"
    if contact.met_on:
        return contact.met_on, "met"
    created = contact.created_at.astimezone(zone) if zone else contact.created_at
    return created.date(), "added"


def keep_in_touch_status(
    contact: Contact, settings: UserSettings, today: date
) -> KeepInTouchStatus:
    """The keep-in-touch status of one contact (pure Python; no query)."""
    own = contact.keep_in_touch_days is not None
    cadence = contact.keep_in_touch_days if own else settings.cadence_for(contact.trust_level)
    last_touch, kind = last_touch_of(contact, settings.zone)
    return KeepInTouchStatus(
        cadence=cadence,
        cadence_from_contact=own,
        last_touch=last_touch,
        last_touch_kind=kind,
        today=today,
    )


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
    """The cadence of each row: its own override, else its trust level's default."""
    whens = [When(keep_in_touch_days__isnull=False, then=F("keep_in_touch_days"))]
    whens += [
        When(trust_level=level, then=Value(settings.cadence_for(level)))
        for level in TrustLevel.values
    ]
    return Case(*whens, default=Value(settings.cadence_for(None)), output_field=IntegerField())


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
        last_touch=Coalesce(
            "last_interaction_on",
            "met_on",
            TruncDate("created_at", tzinfo=settings.zone),
            output_field=DateField(),
        ),
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


def due_contacts(owner: User, settings: UserSettings, today: date) -> QuerySet[Contact]:
    """The owner's contacts whose keep-in-touch clock has run out and that are not snoozed.

    Most overdue relative to cadence first; on ties, closer trust levels first.
    One query, whatever the number of contacts.
    """
    from reminders.models import Reminder, ReminderKind, ReminderStatus

    # A snooze belongs to the current cycle when it was made for a due date after
    # the last touch; logging an interaction starts a new cycle and ends it.
    snoozed = Reminder.objects.filter(
        contact=OuterRef("pk"),
        kind=ReminderKind.KEEP_IN_TOUCH,
        status=ReminderStatus.SNOOZED,
        snoozed_until__gt=today,
        due_on__gt=OuterRef("last_touch"),
    )
    return (
        with_keep_in_touch(Contact.objects.owned_by(owner), settings, today)
        .filter(_may_be_due(settings, today))
        # django-stubs cannot see the annotations made in with_keep_in_touch().
        .filter(cadence__gt=0, days_since__gte=F("cadence"))  # type: ignore[misc]
        .exclude(Exists(snoozed))
        .order_by("-overdue_ratio", "-closeness", "-days_since", "last_name", "first_name", "id")
    )


def keep_in_touch_snoozed_until(contact: Contact, status: KeepInTouchStatus) -> date | None:
    """When the snooze of this cycle ends, if the user snoozed it (one query)."""
    from reminders.models import Reminder, ReminderKind, ReminderStatus

    if status.due_on is None:
        return None
    return (
        Reminder.objects.filter(
            contact=contact,
            kind=ReminderKind.KEEP_IN_TOUCH,
            status=ReminderStatus.SNOOZED,
            due_on=status.due_on,
            snoozed_until__gt=status.today,
        )
        .values_list("snoozed_until", flat=True)
        .first()
    )


SNOOZE_CHOICES = {7: "1 week", 14: "2 weeks", 30: "1 month", 90: "3 months"}


@transaction.atomic
def keep_in_touch_snooze(
    *, contact: Contact, settings: UserSettings, today: date, days: int
) -> "Reminder":
    """Hide a due contact from *Losing touch* for `days`, on the reminder of this cycle.

    The reminder scan keys keep-in-touch reminders by due date too, so its row and
    this snooze are the same row.
    """
    from reminders.keys import keep_in_touch_key
    from reminders.models import Reminder, ReminderKind, ReminderStatus

    if days not in SNOOZE_CHOICES:
        raise ValidationError("Choose how long to snooze: 1 week, 2 weeks, 1 month or 3 months.")
    status = keep_in_touch_status(contact, settings, today)
    if status.due_on is None:
        raise ValidationError(
            f"{contact} has no keep-in-touch cadence, so there is nothing to snooze."
        )
    reminder, _ = Reminder.objects.update_or_create(
        contact=contact,
        kind=ReminderKind.KEEP_IN_TOUCH,
        occasion_key=keep_in_touch_key(status.due_on),
        defaults={
            "owner": contact.owner,
            "due_on": status.due_on,
            "status": ReminderStatus.SNOOZED,
            "snoozed_until": today + timedelta(days=days),
        },
    )
    return reminder
