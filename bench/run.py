"""Run the benchmark scenarios and print one line per figure.

    BENCH name=<scenario> contacts=<n> median_ms=<m> queries=<q> floor_ratio=<r>

`floor_ms` is the median of a minimal logged-in page in the same run. The run
uses its own database: `rapport_bench` on the server of DATABASE_URL when that
is PostgreSQL (the targets are for PostgreSQL), else var/bench.sqlite3.
Environment: BENCH_SIZES (default "300,30000"), BENCH_ONLY (comma-separated
scenario names), BENCH_DB (database name, default rapport_bench).
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
RESULTS = ROOT / "bench" / "results.json"
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

    def timed(call: Callable[..., object], repeat: int) -> tuple[float, int]:
        call()  # warm caches and connection
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
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples), executed

    results: list[dict] = []
    vendor = connection.vendor
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
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        floor_ms, _ = timed(lambda c=client: c.get(reverse("password_change")), 50)
        ctx = Context(size=size, user=user, client=client)
        for item in scenarios:
            if item.sizes and size not in item.sizes:
                continue
            median_ms, query_count = timed(item.build(ctx), item.repeat)
            ratio = median_ms / floor_ms if floor_ms else 0.0
            print(
                f"BENCH name={item.name} contacts={size} median_ms={median_ms:.1f} "
                f"queries={query_count} floor_ratio={ratio:.2f}",
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
                    "database": vendor,
                }
            )
    misses = _check_targets(scenarios, results, sizes)
    RESULTS.write_text(
        json.dumps({"database": vendor, "results": results, "misses": misses}, indent=2)
    )
    print(f"# wrote {RESULTS.relative_to(ROOT)}; {len(misses)} target(s) missed", flush=True)
    for miss in misses:
        print(f"# MISS {miss}")
    return 0


def _check_targets(scenarios: list["Scenario"], results: list[dict], sizes: list[int]) -> list[str]:
    misses = []
    largest, smallest = max(sizes), min(sizes)
    for item in scenarios:
        rows = {r["contacts"]: r for r in results if r["name"] == item.name}
        if largest in rows and item.target_ms and rows[largest]["median_ms"] > item.target_ms:
            misses.append(
                f"{item.name}: {rows[largest]['median_ms']} ms > {item.target_ms} ms at {largest}"
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
