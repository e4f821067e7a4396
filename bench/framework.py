"""A tiny registry of benchmark scenarios; bench/run.py times them.

A scenario module in bench/scenarios/ registers functions with @scenario. Each
gets a Context for one dataset size (a seeded user and a logged-in client) and
returns the callable to time. The runner calls it `repeat` times and reports
the median and the query count of one call.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.test import Client


@dataclass
class Context:
    size: int
    user: User
    client: Client
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scenario:
    name: str
    build: Callable[[Context], Callable[[], Any]]
    repeat: int = 30
    target_ms: float | None = None  # median at the largest size, on PostgreSQL
    max_growth: float | None = 1.5  # largest size median / smallest size median
    same_queries: bool = True  # query count equal at every size
    # Median at the largest size over the framework floor (a minimal logged-in page).
    max_floor_ratio: float | None = None
    sizes: tuple[int, ...] | None = None  # None: every size the run uses


SCENARIOS: list[Scenario] = []


def scenario(name: str, **options: Any) -> Callable[[Callable[[Context], Callable[[], Any]]], Any]:
    def register(
        build: Callable[[Context], Callable[[], Any]],
    ) -> Callable[[Context], Callable[[], Any]]:
        SCENARIOS.append(Scenario(name=name, build=build, **options))
        return build

    return register


def get_ok(
    client: Client,
    url: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Callable[[], Any]:
    """A timed GET that must answer 200, so a broken page cannot look fast."""

    def call() -> Any:
        response = client.get(url, params or {}, headers=headers or {})
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return call
