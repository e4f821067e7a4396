"""The dashboard's weekly chart, laid out to be read: a scale, weeks named, this week marked.

`week_chart(bars)` turns the counts of reminders.charts.weekly_interactions into SVG
geometry, so the template only places shapes (no inline styles under the strict CSP).
The drawing is 320 units wide and shown at about that many pixels on a phone, so
its 13-unit text never renders below 12 px.
"""

from dataclasses import dataclass

from django.utils.formats import date_format

from reminders.charts import WeekBar

WIDTH = 320
HEIGHT = 168
PLOT_LEFT = 30  # room for the scale's numbers
PLOT_TOP = 22  # room for the axis title
PLOT_BOTTOM = 132  # weeks are named below
GAP = 6
# Name every fourth week counting back from this one, so the labels never collide.
LABEL_EVERY = 4


@dataclass(frozen=True)
class Tick:
    value: int
    y: int

    @property
    def label_y(self) -> int:
        return self.y + 4


@dataclass(frozen=True)
class PlacedBar:
    bar: WeekBar
    x: int
    y: int
    width: int
    height: int
    labelled: bool

    @property
    def count(self) -> int:
        return self.bar.count

    @property
    def current(self) -> bool:
        return self.bar.current

    @property
    def label(self) -> str:
        return date_format(self.bar.starts_on, "j M")

    @property
    def label_x(self) -> int:
        # "This week" ends at the chart's right edge rather than running past it.
        return WIDTH if self.current else self.x + self.width // 2

    @property
    def label_anchor(self) -> str:
        return "end" if self.current else "middle"


@dataclass(frozen=True)
class WeekChart:
    bars: list[PlacedBar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    tick_x: int = PLOT_LEFT - 6
    week_label_y: int = PLOT_BOTTOM + 18
    axis_title_y: int = 13


def nice_top(tallest: int) -> int:
    """The scale's top: the smallest of 2, 4, 5, 10, 20, 40, 50, 100… that holds `tallest`."""
    step = 1
    while True:
        for factor in (2, 4, 5, 10):
            if tallest <= factor * step:
                return factor * step
        step *= 10


def week_chart(bars: list[WeekBar]) -> WeekChart:
    top = nice_top(max((bar.count for bar in bars), default=0))
    plot = PLOT_BOTTOM - PLOT_TOP
    count = max(len(bars), 1)
    width = (WIDTH - PLOT_LEFT - GAP * count) // count
    placed = []
    for index, bar in enumerate(bars):
        # A quiet week still shows a sliver, so the row of weeks reads as a timeline.
        height = max(2, round(plot * bar.count / top)) if bar.count else 2
        placed.append(
            PlacedBar(
                bar=bar,
                x=PLOT_LEFT + GAP + index * (width + GAP),
                y=PLOT_BOTTOM - height,
                width=width,
                height=height,
                labelled=(len(bars) - 1 - index) % LABEL_EVERY == 0,
            )
        )
    ticks = [
        Tick(value=value, y=PLOT_BOTTOM - round(plot * value / top)) for value in (0, top // 2, top)
    ]
    return WeekChart(bars=placed, ticks=ticks)
