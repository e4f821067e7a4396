"""The glanceable picture at the top of the dashboard, computed in the database.

`weekly_interactions` counts interactions per week (one aggregate query);
`overdue_close_people` counts close and know-well people whose keep-in-touch
cadence has run out (contacts.relationships.due_contacts, aggregated). The SVG
geometry is computed here so the template only places rectangles: no inline
styles under the strict CSP.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.utils.dateformat import format as date_format

from contacts.models import Contact, Interaction, TrustLevel
from contacts.relationships import due_contacts
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


def overdue_close_people(*, owner: AbstractBaseUser, settings: UserSettings, today: date) -> dict:
    """How many close and know-well people are overdue for a conversation.

    Reuses the keep-in-touch rule of contacts.relationships (the *Losing touch*
    page and the scan agree with it), aggregated in one query.
    """
    levels = [TrustLevel.CLOSE, TrustLevel.KNOW_WELL]
    due = due_contacts(owner, settings, today).filter(trust_level__in=levels).order_by()
    counts = due.aggregate(
        close=Count("pk", filter=Q(trust_level=TrustLevel.CLOSE)),
        know_well=Count("pk", filter=Q(trust_level=TrustLevel.KNOW_WELL)),
    )
    counts["total"] = Contact.objects.owned_by(owner).filter(trust_level__in=levels).count()
    counts["overdue"] = counts["close"] + counts["know_well"]
    return counts
