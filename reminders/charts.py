"""The glanceable picture at the top of the dashboard, computed in the database.

`weekly_interactions` counts interactions per week (one aggregate query);
`overdue_close_people` counts close and know-well people whose keep-in-touch
cadence has run out (one aggregate query). The SVG geometry is computed here so
the template only places rectangles: no inline styles under the strict CSP.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.utils.dateformat import format as date_format

from contacts.models import Contact, Interaction, TrustLevel
from crm.models import UserSettings

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
    *, owner: AbstractBaseUser, today: date, week_start: int, weeks: int = WEEKS
) -> list[WeekBar]:
    """Interactions per week for the last `weeks` weeks, this week last."""
    this_week = week_start_of(today, week_start)
    first = this_week - timedelta(weeks=weeks - 1)
    per_day = (
        Interaction.objects.owned_by(owner)
        .filter(occurred_on__gte=first, occurred_on__lte=this_week + timedelta(days=6))
        .values("occurred_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [0] * weeks
    for row in per_day:
        counts[(row["occurred_on"] - first).days // 7] += row["n"]
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


def overdue_condition(settings: UserSettings, today: date, levels: list[str]) -> Q:
    """Contacts at these trust levels whose keep-in-touch cadence has run out.

    The rule of contacts.relationships / the reminder scan: a contact's own
    `keep_in_touch_days` wins (0 = never), else the cadence of their trust level;
    overdue when the last interaction (or, with none, when they were added) is
    more than that many days ago. Custom cadences are grouped by value so the
    condition stays one query however many contacts there are.
    """
    condition = Q(pk__in=[])
    for level in levels:
        cadence = settings.cadence_for(level)
        if cadence:
            cutoff = today - timedelta(days=cadence)
            condition |= Q(trust_level=level, keep_in_touch_days__isnull=True) & _silent_since(
                cutoff
            )
    return condition


def _silent_since(cutoff: date) -> Q:
    return Q(last_interaction_on__lt=cutoff) | Q(
        last_interaction_on__isnull=True, created_at__date__lt=cutoff
    )


def overdue_close_people(*, owner: AbstractBaseUser, settings: UserSettings, today: date) -> dict:
    """How many close and know-well people are overdue for a conversation."""
    levels = [TrustLevel.CLOSE, TrustLevel.KNOW_WELL]
    people = Contact.objects.owned_by(owner).filter(trust_level__in=levels)
    default = overdue_condition(settings, today, levels)
    counts = people.aggregate(
        close=Count("pk", filter=default & Q(trust_level=TrustLevel.CLOSE)),
        know_well=Count("pk", filter=default & Q(trust_level=TrustLevel.KNOW_WELL)),
        total=Count("pk"),
    )
    # Contacts with their own cadence: few by nature; one extra query, bounded columns.
    custom = people.filter(keep_in_touch_days__gt=0).values_list(
        "trust_level", "keep_in_touch_days", "last_interaction_on", "created_at"
    )
    for level, days, last, created in custom:
        since = last or created.date()
        if since < today - timedelta(days=days):
            counts["close" if level == TrustLevel.CLOSE else "know_well"] += 1
    counts["overdue"] = counts["close"] + counts["know_well"]
    return counts
