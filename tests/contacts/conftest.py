"""Fixtures shared by the contacts tests."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest
import time_machine

# The day the relationship tests (Losing touch, promises, introductions, who reaches out,
# the overview) count their days back from.
TODAY = date(2026, 11, 20)
NOON = datetime.combine(TODAY, time(12), tzinfo=UTC)


@pytest.fixture
def frozen_today() -> Iterator[time_machine.Traveller]:
    """Noon on TODAY, the clock standing still. Use it with
    `pytestmark = pytest.mark.usefixtures("frozen_today")`."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller
