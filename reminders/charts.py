"""The glanceable picture at the top of the dashboard, computed in the database.

`weekly_interactions` counts interactions per week (one aggregate query, cached
until an interaction changes);
`overdue_close_people` counts close and know-well people whose keep-in-touch
cadence has run out (reminders.keep_in_touch.due_contacts, aggregated). The SVG
geometry is computed here so the template only places rectangles: no inline
styles under the strict CSP.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.formats import date_format

from contacts.models import Contact, Interaction, TrustLevel
from crm.models import UserSettings
from reminders.keep_in_touch import due_contacts
from reminders.models import Reminder

WEEKS = 12
CHART_WIDTH = 360
CHART_HEIGHT = 96
BAR_GAP = 6
LABEL_SPACE = 16


@dataclass(frozen=True)
class WeekBar:
    starts_on: date
    count: int
    x: int
    y: int
    width: int
    height: int
    current: bool

    @property
    def label(self) -> str:
        return date_format(self.starts_on, "j M")

    @property
    def description(self) -> str:
        noun = "interaction" if self.count == 1 else "interactions"
        return f"Week of {self.label}: {self.count} {noun}"


def week_start_of(day: date, week_start: int) -> date:
    """The first day (per the user's week_start, 0 = Monday) of the week holding `day`."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def weekly_interactions(
    *, owner: User, today: date, week_start: int, weeks: int = WEEKS
) -> list[WeekBar]:
    """Interactions per week for the last `weeks` weeks, this week last."""
    this_week = week_start_of(today, week_start)
    first = this_week - timedelta(weeks=weeks - 1)
    # Cached like the overdue count, under the same version: any interaction saved or
    # deleted, or written in bulk by an import, moves it on (see forget_glance).
    key = f"{_owner_key(owner)}:weeks:{first.isoformat()}:{weeks}:{glance_version(owner.pk)}"
    counts: list[int] | None = cache.get(key)
    if counts is None:
        per_day = (
            Interaction.objects.owned_by(owner)
            .filter(occurred_on__gte=first, occurred_on__lte=this_week + timedelta(days=6))
            .values("occurred_on")
            .annotate(n=Count("*"))  # COUNT(*): an index-only scan
            .order_by()
        )
        counts = [0] * weeks
        for row in per_day:
            counts[(row["occurred_on"] - first).days // 7] += row["n"]
        cache.set(key, counts, GLANCE_SECONDS)
    tallest = max(counts) or 1
    width = (CHART_WIDTH - BAR_GAP * (weeks - 1)) // weeks
    plot = CHART_HEIGHT - LABEL_SPACE
    bars = []
    for index, count in enumerate(counts):
        # A zero week still shows a sliver, so the row of weeks reads as a timeline.
        height = max(2, round(plot * count / tallest)) if count else 2
        bars.append(
            WeekBar(
                starts_on=first + timedelta(weeks=index),
                count=count,
                x=index * (width + BAR_GAP),
                y=plot - height,
                width=width,
                height=height,
                current=index == weeks - 1,
            )
        )
    return bars


def overdue_close_people(*, owner: User, settings: UserSettings, today: date) -> dict:
    """How many close and know-well people are overdue for a conversation.

    Reuses the keep-in-touch rule of reminders.keep_in_touch (the *Losing touch*
    page and the scan agree with it). Counting reads every close and know-well
    contact, so the result is cached for a few minutes and dropped as soon as a
    contact or interaction of the owner changes (see `forget_glance`).
    """
    key = _glance_key(owner, today, settings)
    cached = cache.get(key)
    if cached is not None:
        return cached
    levels = [TrustLevel.CLOSE, TrustLevel.KNOW_WELL]
    due = due_contacts(owner, settings, today).filter(trust_level__in=levels).order_by()
    counts = due.aggregate(
        close=Count("pk", filter=Q(trust_level=TrustLevel.CLOSE)),
        know_well=Count("pk", filter=Q(trust_level=TrustLevel.KNOW_WELL)),
    )
    counts["total"] = Contact.objects.owned_by(owner).filter(trust_level__in=levels).count()
    counts["overdue"] = counts["close"] + counts["know_well"]
    cache.set(key, counts, GLANCE_SECONDS)
    return counts


# --- Caching the overdue count ---------------------------------------------------

GLANCE_SECONDS = 300


def _version_key(owner_id: int) -> str:
    return f"rapport:glance-version:{owner_id}"


def glance_version(owner_id: int) -> int:
    """Moves on whenever forget_glance() is called: a part of cache keys that must change
    with the owner's contacts, interactions or trust levels (also the Relationships overview)."""
    return int(cache.get(_version_key(owner_id), 0))


def _owner_key(owner: User) -> str:
    # date_joined keeps keys apart when ids are reused (a recreated user, test databases).
    joined = int(owner.date_joined.timestamp()) if getattr(owner, "date_joined", None) else 0
    return f"rapport:glance:{owner.pk}:{joined}"


def _glance_key(owner: User, today: date, settings: UserSettings) -> str:
    version = glance_version(owner.pk)
    cadences = ",".join(str(settings.cadence_for(level)) for level in TrustLevel.values)
    return f"{_owner_key(owner)}:{today.isoformat()}:{cadences}:{version}"


def forget_glance(owner_id: int) -> None:
    """Drop the cached overdue count of this owner: call it after anything that may move it.

    Saves and deletes of contacts, interactions and keep-in-touch reminders call it
    through the signals below; bulk writes send no signals, so the importers and the
    reminder scan call it themselves. Inside a transaction it forgets twice: now, for
    this connection, and again on commit, because until then other processes read the
    old rows, and a dashboard they render meanwhile caches the old count under the new
    version (a worker's import is one long transaction).
    """
    _bump_version(owner_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_version(owner_id), robust=True)


def _bump_version(owner_id: int) -> None:
    try:
        cache.incr(_version_key(owner_id))
    except ValueError:
        cache.set(_version_key(owner_id), 1, None)


def _contact_changed(sender: type, instance: Contact, **kwargs: object) -> None:
    forget_glance(instance.owner_id)


def _interaction_changed(sender: type, instance: Interaction, **kwargs: object) -> None:
    forget_glance(instance.owner_id)


def _reminder_changed(sender: type, instance: Reminder, **kwargs: object) -> None:
    # A snoozed keep-in-touch reminder takes its contact off the overdue count; any
    # reminder's change moves This week's cached board (reminders.board_cache).
    forget_glance(instance.owner_id)


def _owned_changed(sender: type, instance: models.Model, **kwargs: object) -> None:
    """A row This week's board shows changed: its owner's (or its contact's owner's)."""
    owner_id = getattr(instance, "owner_id", None) or getattr(instance, "user_id", None)
    contact_id = getattr(instance, "contact_id", None)
    if owner_id is None and contact_id is not None:
        owner_id = Contact.objects.filter(pk=contact_id).values_list("owner_id", flat=True).first()
    if owner_id is not None:
        forget_glance(int(owner_id))


def _board_models() -> list[type[models.Model]]:
    from contacts.models import ContactPhoto, Position
    from contacts.relation_models import Introduction, Promise
    from reminders.models import CustomDate, NoteDraft

    return [NoteDraft, Promise, Introduction, Position, ContactPhoto, CustomDate, UserSettings]


def connect_glance_signals() -> None:
    """Drop the cached overdue count when its inputs change; RemindersConfig.ready() calls it.

    Interaction writes also move Contact.last_interaction_on (with a queryset update, which
    sends no signal), so interaction signals are the ones that matter for the clock.
    """
    post_save.connect(_contact_changed, sender=Contact, dispatch_uid="glance-contact-save")
    post_delete.connect(_contact_changed, sender=Contact, dispatch_uid="glance-contact-delete")
    post_save.connect(_interaction_changed, sender=Interaction, dispatch_uid="glance-int-save")
    post_delete.connect(_interaction_changed, sender=Interaction, dispatch_uid="glance-int-delete")
    post_save.connect(_reminder_changed, sender=Reminder, dispatch_uid="glance-reminder-save")
    post_delete.connect(_reminder_changed, sender=Reminder, dispatch_uid="glance-reminder-delete")
    # What else This week's cached board shows (reminders.board_cache).
    for model in _board_models():
        name = model._meta.label_lower
        post_save.connect(_owned_changed, sender=model, dispatch_uid=f"glance-{name}-save")
        post_delete.connect(_owned_changed, sender=model, dispatch_uid=f"glance-{name}-delete")
    m2m_changed.connect(
        _interaction_changed, sender=Interaction.contacts.through, dispatch_uid="glance-int-people"
    )
