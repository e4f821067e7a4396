"""Interactions per month over the last 24 months, drawn as a server-side SVG.

No charting library and no script: the template draws one <rect> per month from
the geometry computed here, with a text alternative for screen readers.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import BooleanField, Case, Count, Value, When
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from contacts.models import Contact, Initiator
from contacts.reach_out import BALANCE_DAYS, Balance
from contacts.relationships import interactions_of

MONTHS = 24
BAR_WIDTH = 8
GAP = 2
HEIGHT = 40
MIN_BAR = 2  # months with some activity stay visible next to busy ones
# Room around the bars for the scale (left) and the month names (below); the drawing
# is shown at about its own size, so its 13-unit text renders at 12 px or more.
AXIS_LEFT = 24
AXIS_TOP = 8
AXIS_BOTTOM = 22
LABEL_EVERY = 6  # name every sixth month, counting back from this one


@dataclass(frozen=True)
class Bar:
    month: date
    count: int
    x: int
    y: int
    height: int

    @property
    def label(self) -> str:
        return ngettext(
            "%(month)s: %(count)s interaction", "%(month)s: %(count)s interactions", self.count
        ) % {"month": date_format(self.month, "F Y"), "count": self.count}

    @property
    def short_month(self) -> str:
        return date_format(self.month, "M \u2019y")

    @property
    def centre(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass(frozen=True)
class Sparkline:
    bars: list[Bar]
    width: int
    height: int
    total: int
    busiest: Bar | None

    @property
    def peak(self) -> int:
        return self.busiest.count if self.busiest else 0

    @property
    def labelled(self) -> list[Bar]:
        last = len(self.bars) - 1
        return [bar for i, bar in enumerate(self.bars) if (last - i) % LABEL_EVERY == 0]

    # The bars and the table, drawn here: 24 months of a <rect> and a table row each
    # cost more as template nodes than the rest of the section.
    @cached_property
    def bars_svg(self) -> SafeString:
        """A <rect> for each month with interactions, named by a <title>."""
        return format_html_join(
            "",
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" rx="1">'
            "<title>{}</title></rect>",
            ((bar.x, bar.y, BAR_WIDTH, bar.height, bar.label) for bar in self.bars if bar.count),
        )

    @cached_property
    def month_labels(self) -> list[dict[str, Any]]:
        labelled = self.labelled
        return [
            {
                "centre": str(bar.centre),
                "text": bar.short_month,
                "anchor": "end" if i == len(labelled) - 1 else "middle",
            }
            for i, bar in enumerate(labelled)
        ]

    @cached_property
    def table_rows(self) -> SafeString:
        """Month and count, newest first: the chart's numbers for screen readers."""
        return format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            ((_month_year(bar.month, get_language()), bar.count) for bar in reversed(self.bars)),
        )

    @property
    def view_width(self) -> int:
        return AXIS_LEFT + self.width + 4

    @property
    def view_height(self) -> int:
        return AXIS_TOP + self.height + AXIS_BOTTOM

    @property
    def axis_left(self) -> int:
        return AXIS_LEFT

    @property
    def axis_top(self) -> int:
        return AXIS_TOP

    @property
    def summary(self) -> str:
        first, last = self.bars[0].month, self.bars[-1].month
        values = {"first": date_format(first, "F Y"), "last": date_format(last, "F Y")}
        if not self.total:
            return gettext("No interactions from %(first)s to %(last)s.") % values
        busiest = self.busiest
        assert busiest is not None
        return ngettext(
            "%(total)s interaction from %(first)s to %(last)s; the busiest month was "
            "%(busiest)s with %(most)s.",
            "%(total)s interactions from %(first)s to %(last)s; the busiest month was "
            "%(busiest)s with %(most)s.",
            self.total,
        ) % {
            **values,
            "total": self.total,
            "busiest": date_format(busiest.month, "F Y"),
            "most": busiest.count,
        }


@lru_cache(maxsize=256)
def _month_year(month: date, language: str | None) -> str:
    """ "March 2026" in the language: formatted once, not 24 times a page."""
    return date_format(month, "F Y")


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the last `months` months, oldest first, ending this month."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def interactions_per_month(contact: Contact, today: date) -> Sparkline:
    """One aggregate query: interaction counts for this contact per month."""
    months = month_starts(today)
    rows = (
        interactions_of(contact)
        .filter(occurred_on__gte=months[0])
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(count=Count("id"))
        .values_list("month", "count")
    )
    counts = {(m.year, m.month): n for m, n in rows}
    return build_sparkline(months, counts)


def activity_and_balance(contact: Contact, today: date) -> tuple[Sparkline, Balance]:
    """The chart and who reaches out (contacts.reach_out.reach_out_balance) in one
    aggregate query: counts per month, initiator and whether within the balance's year."""
    months = month_starts(today)
    since = today - timedelta(days=BALANCE_DAYS)
    in_year = When(occurred_on__gt=since, occurred_on__lte=today, then=Value(True))
    rows = (
        interactions_of(contact)
        # The 24 months reach further back than the balance's year.
        .filter(occurred_on__gte=min(months[0], since))
        .annotate(
            month=TruncMonth("occurred_on"),
            in_year=Case(in_year, default=Value(False), output_field=BooleanField()),
        )
        .values("month", "initiated_by", "in_year")
        .annotate(count=Count("id"))
        .values_list("month", "initiated_by", "in_year", "count")
    )
    counts: dict[tuple[int, int], int] = {}
    by: dict[str, int] = {}
    for month, initiator, recent, count in rows:
        key = (month.year, month.month)
        counts[key] = counts.get(key, 0) + count
        if recent:
            by[initiator] = by.get(initiator, 0) + count
    me, them, mutual = (by.get(i, 0) for i in (Initiator.ME, Initiator.THEM, Initiator.MUTUAL))
    return build_sparkline(months, counts), Balance(me=me, them=them, mutual=mutual)


def build_sparkline(months: list[date], counts: dict[tuple[int, int], int]) -> Sparkline:
    peak = max(counts.values(), default=0)
    bars = []
    for i, month in enumerate(months):
        count = counts.get((month.year, month.month), 0)
        height = max(MIN_BAR, round(count / peak * HEIGHT)) if count else 0
        bars.append(
            Bar(month=month, count=count, x=i * (BAR_WIDTH + GAP), y=HEIGHT - height, height=height)
        )
    busiest = max(bars, key=lambda b: (b.count, b.month)) if peak else None
    return Sparkline(
        bars=bars,
        width=len(months) * (BAR_WIDTH + GAP) - GAP,
        height=HEIGHT,
        total=sum(b.count for b in bars),
        busiest=busiest,
    )
