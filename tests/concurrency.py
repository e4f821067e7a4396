"""Running work in threads at once, each on its own database connection (PostgreSQL tests)."""

import threading
from collections.abc import Callable

from django.db import connections

TIMEOUT = 60


def run_at_once[T](*works: Callable[[], T]) -> list[T]:
    """Each callable in a thread of its own; their results in order, or the first error raised."""
    outcomes: list[T | BaseException | None] = [None] * len(works)

    def run(index: int) -> None:
        try:
            outcomes[index] = works[index]()
        except BaseException as exc:  # re-raised in the test's thread below
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
        assert not thread.is_alive(), f"a thread still runs after {TIMEOUT} s"
    results: list[T] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        results.append(outcome)  # type: ignore[arg-type]  # set by its thread
    return results
