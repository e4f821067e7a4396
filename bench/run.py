"""Run the benchmark scenarios and print one line per figure.

    BENCH name=<scenario> contacts=<n> median_ms=<m> queries=<q> floor_ratio=<r> cpu_ratio=<c>

Every size is seeded first; then each scenario is timed at all sizes in turns,
round after round, so background work on the machine weighs on every size alike
and the growth figure compares like with like. `floor_ms` is the median of a
minimal logged-in page, timed the same way. `cpu_ratio` is the same ratio for the
CPU time of this process alone (not the database server's): on a busy machine the
wall-clock ratio swings with the other load, the CPU ratio much less, so it is the
figure to steer by there; the targets are judged on wall-clock time. The run
uses its own database: `rapport_bench` on the server of DATABASE_URL when that
is PostgreSQL (the targets are for PostgreSQL), else var/bench.sqlite3.
Environment: BENCH_SIZES (default "300,30000"), BENCH_ONLY (comma-separated
scenario names), BENCH_DB (database name, default rapport_bench), BENCH_RESULTS (where
the figures are written as JSON, default bench/results.json).
"""

import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
# Its own database, dropped and recreated each run; BENCH_DB lets two runs coexist.
BENCH_DB = os.environ.get("BENCH_DB", "rapport_bench")

if TYPE_CHECKING:
    from bench.framework import Scenario


def _prepare_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    path = ROOT / "var" / "bench.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def main() -> int:
    os.environ["DATABASE_URL"] = _prepare_database()
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    import bench.scenarios
    from bench.framework import SCENARIOS, Context

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    for module in pkgutil.iter_modules(bench.scenarios.__path__):
        importlib.import_module(f"bench.scenarios.{module.name}")
    only = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
    scenarios = [s for s in SCENARIOS if not only or s.name in only]
    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", "300,30000").split(",")]
    from django.contrib.auth.models import User

    def count_queries(call: Callable[..., object]) -> int:
        # Count through an execute wrapper: CaptureQueriesContext loses queries when a
        # request resets the query log or the pool hands out a fresh connection.
        executed = 0

        def count(
            execute: Callable[..., Any],
            sql: str,
            params: Any,
            many: bool,
            context: dict[str, Any],
        ) -> Any:
            nonlocal executed
            executed += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            call()
        return executed

    def timed(
        calls: dict[int, Callable[..., object]], repeat: int
    ) -> dict[int, tuple[float, int, float]]:
        """Median milliseconds, query count and median CPU milliseconds of each size's call.

        The sizes take turns, round after round (in alternating order), so whatever
        else the machine does during the run weighs on every size alike and the
        growth from the smallest to the largest size measures the data, not the drift.
        """
        queries = {}
        for size, call in calls.items():
            call()  # warm caches and connection
            queries[size] = count_queries(call)
        samples: dict[int, list[float]] = {size: [] for size in calls}
        cpu: dict[int, list[float]] = {size: [] for size in calls}
        order = list(calls)
        for _ in range(repeat):
            for size in order:
                start, cpu_start = time.perf_counter(), time.process_time()
                calls[size]()
                samples[size].append((time.perf_counter() - start) * 1000)
                cpu[size].append((time.process_time() - cpu_start) * 1000)
            order.reverse()
        return {
            size: (statistics.median(samples[size]), queries[size], statistics.median(cpu[size]))
            for size in calls
        }

    vendor = connection.vendor
    contexts: dict[int, Context] = {}
    for size in sizes:
        username = f"bench{size}"
        seed_start = time.perf_counter()
        call_command(
            "seed_demo", user=username, contacts=size, interactions=size * 10, seed=1, verbosity=0
        )
        print(
            f"# seeded {size} contacts in {time.perf_counter() - seed_start:.1f}s on {vendor}",
            flush=True,
        )
        client = Client()
        client.force_login(User.objects.get(username=username))
        contexts[size] = Context(size=size, user=User.objects.get(username=username), client=client)
    _settle(connection)
    load_before = _load()

    floors = timed(
        {
            size: (lambda c=ctx.client: c.get(reverse("account_change_password")))
            for size, ctx in contexts.items()
        },
        50,
    )
    results: list[dict] = []
    for item in scenarios:
        calls = {
            size: item.build(ctx)
            for size, ctx in contexts.items()
            if not item.sizes or size in item.sizes
        }
        for size, (median_ms, query_count, cpu_ms) in timed(calls, item.repeat).items():
            floor_ms, _, floor_cpu_ms = floors[size]
            ratio = median_ms / floor_ms if floor_ms else 0.0
            cpu_ratio = cpu_ms / floor_cpu_ms if floor_cpu_ms else 0.0
            print(
                f"BENCH name={item.name} contacts={size} median_ms={median_ms:.1f} "
                f"queries={query_count} floor_ratio={ratio:.2f} cpu_ratio={cpu_ratio:.2f}",
                flush=True,
            )
            results.append(
                {
                    "name": item.name,
                    "contacts": size,
                    "median_ms": round(median_ms, 2),
                    "queries": query_count,
                    "floor_ms": round(floor_ms, 2),
                    "floor_ratio": round(ratio, 2),
                    "cpu_ms": round(cpu_ms, 2),
                    "cpu_ratio": round(cpu_ratio, 2),
                    "database": vendor,
                }
            )
    misses = _check_targets(scenarios, results, sizes)
    # Timings on a shared machine mean little without how busy it was: say so.
    load = {"before": load_before, "after": _load(), "cpus": os.cpu_count()}
    print(
        f"# load average (1 min) {load['before']} before timing, {load['after']} after, "
        f"on {load['cpus']} CPUs",
        flush=True,
    )
    RESULTS.write_text(
        json.dumps(
            {"database": vendor, "results": results, "misses": misses, "load": load}, indent=2
        )
    )
    print(f"# wrote {RESULTS}; {len(misses)} target(s) missed", flush=True)
    for miss in misses:
        print(f"# MISS {miss}")
    return 0


def _load() -> float | None:
    """The one-minute load average, where the system tells it."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _settle(connection: Any) -> None:
    """Let the seeding's writes land before anything is timed.

    Right after bulk-seeding, PostgreSQL still writes the new rows back and has no
    planner statistics or visibility map for them (autovacuum comes later); timing
    then would measure that, not the pages.
    """
    if connection.vendor != "postgresql":
        return
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:  # needs a superuser or pg_checkpoint
            print(f"# no CHECKPOINT before timing: {error}".strip(), flush=True)


def _check_targets(scenarios: list["Scenario"], results: list[dict], sizes: list[int]) -> list[str]:
    misses = []
    largest, smallest = max(sizes), min(sizes)
    for item in scenarios:
        rows = {r["contacts"]: r for r in results if r["name"] == item.name}
        if largest in rows and item.target_ms and rows[largest]["median_ms"] > item.target_ms:
            misses.append(
                f"{item.name}: {rows[largest]['median_ms']} ms > {item.target_ms} ms at {largest}"
            )
        if (
            largest in rows
            and item.max_floor_ratio
            and rows[largest]["floor_ratio"] > item.max_floor_ratio
        ):
            misses.append(
                f"{item.name}: {rows[largest]['floor_ratio']}x the framework floor "
                f"({rows[largest]['floor_ms']} ms) at {largest}, over {item.max_floor_ratio}x"
            )
        if largest in rows and smallest in rows and largest != smallest:
            big, small = rows[largest], rows[smallest]
            if item.max_growth and big["median_ms"] > item.max_growth * small["median_ms"]:
                misses.append(
                    f"{item.name}: {big['median_ms']} ms at {largest} is over "
                    f"{item.max_growth}x {small['median_ms']} ms at {smallest}"
                )
            if item.same_queries and big["queries"] != small["queries"]:
                misses.append(
                    f"{item.name}: {big['queries']} queries at {largest}, "
                    f"{small['queries']} at {smallest}"
                )
    return misses


if __name__ == "__main__":
    sys.exit(main())
