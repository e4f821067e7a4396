"""Fixtures of the reminder tests: a real HTTP endpoint for notification channels, and a
clock stopped in the middle of a week."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from tests.reminders.endpoint import endpoint

__all__ = ["endpoint", "frozen"]


@pytest.fixture
def frozen() -> Iterator[None]:
    """Noon on Wednesday 18 November 2026, the clock standing still: this week runs from
    Monday the 16th to Sunday the 22nd (use it with `pytest.mark.usefixtures("frozen")`)."""
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC), tick=False):
        yield
