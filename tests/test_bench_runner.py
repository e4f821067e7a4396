"""`make bench` keeps working: a tiny run on SQLite prints a figure per size and scenario."""

import json
import os
from pathlib import Path

from tests.source_tree import run_python


def test_a_tiny_bench_run_times_every_size_of_each_scenario(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    results_file = tmp_path / "results.json"
    env.update(
        BENCH_SIZES="5,12",
        BENCH_ONLY="contact_list_page1,triage_page",
        BENCH_RESULTS=str(results_file),
    )
    run = run_python("-m", "bench.run", env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("BENCH ")]
    figures = {(part.split()[1], part.split()[2]) for part in lines}
    assert figures == {
        (f"name={name}", f"contacts={size}")
        for name in ("contact_list_page1", "triage_page")
        for size in (5, 12)
    }
    results = json.loads(results_file.read_text())
    assert results["database"] == "sqlite"
    assert all(row["queries"] > 0 and row["median_ms"] > 0 for row in results["results"])
    # How busy the machine was goes with the figures (None where the OS cannot tell).
    assert set(results["load"]) == {"before", "after", "cpus"}
