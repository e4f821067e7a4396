"""Query counts that must not grow with the data: the tests' one way to say so."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_to_get(client: Client, url: str, data: Any = None, **extra: Any) -> int:
    """How many queries a GET of `url` makes; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data, **extra)
    assert response.status_code == 200, response.status_code
    return len(captured)


def assert_flat(measure: Callable[[], int], grow: Callable[[], object]) -> None:
    """`measure()` makes as many queries after `grow()` added rows as before.

    Measured once first to warm per-process caches (the scheduler's state, settings rows).
    """
    measure()
    before = measure()
    grow()
    assert measure() == before
