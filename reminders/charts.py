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
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import ngettext

from contacts.models import Contact, Interaction, TrustLevel
from crm.data_version import data_changed, data_version, owner_data_cache
from crm.models import UserSettings
from reminders.keep_in_touch import due_contacts

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
        return ngettext(
            "Week of %(date)s: %(count)d interaction",
            "Week of %(date)s: %(count)d interactions",
            self.count,
        ) % {"date": self.label, "count": self.count}


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
    counts: list[int] | None = owner_data_cache.get(key)
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
        owner_data_cache.set(key, counts, GLANCE_SECONDS)
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
    cached = owner_data_cache.get(key)
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
    owner_data_cache.set(key, counts, GLANCE_SECONDS)
    return counts


# --- Caching the overdue count ---------------------------------------------------

GLANCE_SECONDS = 300


def glance_version(owner_id: int) -> int:
    """A part of cache keys that must change with the owner's contacts, interactions or
    trust levels (also the Relationships overview): the owner's data version
    (crm/data_version.py), which every change of their data moves on."""
    return data_version(owner_id)


def _owner_key(owner: User) -> str:
    # date_joined keeps keys apart when ids are reused (a recreated user, test databases).
    joined = int(owner.date_joined.timestamp()) if getattr(owner, "date_joined", None) else 0
    return f"rapport:glance:{owner.pk}:{joined}"


def _glance_key(owner: User, today: date, settings: UserSettings) -> str:
    version = glance_version(owner.pk)
    cadences = ",".join(str(settings.cadence_for(level)) for level in TrustLevel.values)
    return f"{_owner_key(owner)}:{today.isoformat()}:{cadences}:{version}"


def forget_glance(owner_id: int) -> None:
    """Drop the cached overdue count (and every other cache of this owner's data): call it
    after a bulk write, which sends no signals (the importers and the reminder scan do).

    Saves, deletes and many-to-many changes of every owned model already call it through
    crm.data_version's signals; this is `data_changed`, which inside a transaction moves
    the version again on commit.
    """
    data_changed(owner_id)
