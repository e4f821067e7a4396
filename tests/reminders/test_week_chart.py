"""reminders.week_chart: a scale that holds the busiest week, bars inside the drawing."""

import datetime as dt

import pytest

from reminders.charts import WeekBar
from reminders.week_chart import PLOT_BOTTOM, PLOT_LEFT, WIDTH, nice_top, week_chart


@pytest.mark.parametrize(
    ("tallest", "top"), [(0, 2), (1, 2), (3, 4), (5, 5), (7, 10), (11, 20), (45, 50), (101, 200)]
)
def test_the_scale_tops_out_at_a_round_number_holding_the_busiest_week(
    tallest: int, top: int
) -> None:
    assert nice_top(tallest) == top


def _bars(counts: list[int]) -> list[WeekBar]:
    first = dt.date(2026, 8, 31)
    return [
        WeekBar(
            starts_on=first + dt.timedelta(weeks=i),
            count=count,
            x=0,
            y=0,
            width=0,
            height=0,
            current=i == len(counts) - 1,
        )
        for i, count in enumerate(counts)
    ]


def test_bars_stand_on_the_axis_inside_the_drawing_and_the_busiest_reaches_its_tick() -> None:
    chart = week_chart(_bars([0, 3, 0, 0, 8, 1, 0, 0, 0, 2, 0, 5]))
    top_tick = chart.ticks[-1]
    assert top_tick.value == 10
    for bar in chart.bars:
        assert bar.y + bar.height == PLOT_BOTTOM
        assert bar.x > PLOT_LEFT and bar.x + bar.width <= WIDTH
    busiest = chart.bars[4]
    assert busiest.y == PLOT_BOTTOM - round((PLOT_BOTTOM - top_tick.y) * 8 / 10)
    assert chart.bars[0].height == 2, "a quiet week still shows a sliver"
    assert chart.bars[-1].label_anchor == "end" and chart.bars[-1].label_x == WIDTH
