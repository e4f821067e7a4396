"""Import and export at scale: a 30,000-row Connections.csv, its re-import with 3,000
changed companies, and a streamed JSON backup of 30,000 contacts.

These time services, not pages (same_queries=False, max_growth=None). Row counts
follow the dataset size, so the targets apply to BENCH_SIZES' largest (30,000).
"""

import csv
import io
import itertools
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from bench.framework import Context, scenario
from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import ImportSource

FIRST = ["Jill", "Tom", "Zoë", "Ravi", "Ana", "Li", "Omar", "Sofia", "Jonas", "Mei", "Kwame"]
LAST = ["Okafor", "O'Brien", "Lefèvre", "Shankar", "Silva", "Wang", "Haddad", "Rossi", "Berg"]
COMPANIES = ["Northwind", "Acme, Inc.", "Initech", "Contoso", "Globex", "Umbrella", "Hooli"]
TITLES = ["Engineer", "Senior Developer, Platform", "Partner", "VP Engineering", "Analyst"]
PREAMBLE = 'Notes:\r\n"When exporting your connection data, some emails may be missing."\r\n\r\n'
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
_users = itertools.count()


def connections_csv(rows: int, *, changed: int = 0, seed: int = 1) -> bytes:
    """A LinkedIn export of `rows` people; the first `changed` have moved company."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(PREAMBLE)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = rng.choice(COMPANIES)
        if n < changed:
            company = f"{company} Labs"
        writer.writerow(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{first.lower()}-{n}",
                f"{first.lower()}.{n}@example.org" if n % 4 == 0 else "",
                company,
                rng.choice(TITLES),
                f"{rng.randint(1, 28):02d} Mar {rng.randint(2008, 2026)}",
            ]
        )
    return out.getvalue().encode("utf-8")


def _fresh_user() -> User:
    return User.objects.create_user(username=f"bench-transfer-{time.time_ns()}-{next(_users)}")


def _check(report: Any, *, created: int = 0, job_changes: int = 0) -> None:
    if len(report.created) != created or len(report.job_changes) != job_changes:
        raise AssertionError(f"unexpected import result: {report.summary}")


@scenario("import_linkedin_30k", repeat=1, target_ms=15000, max_growth=None, same_queries=False)
def import_linkedin(ctx: Context) -> Callable[[], Any]:
    data = connections_csv(ctx.size)

    def call() -> Any:
        report = run_import(owner=_fresh_user(), source=ImportSource.LINKEDIN, data=data)
        _check(report, created=ctx.size)
        return report

    return call


@scenario(
    "reimport_linkedin_3k_changes", repeat=1, target_ms=15000, max_growth=None, same_queries=False
)
def reimport_linkedin(ctx: Context) -> Callable[[], Any]:
    changes = ctx.size // 10
    original = connections_csv(ctx.size)
    moved = connections_csv(ctx.size, changed=changes)
    owner = _fresh_user()
    run_import(owner=owner, source=ImportSource.LINKEDIN, data=original)
    files = itertools.cycle([moved, original])  # each re-import moves `changes` people

    def call() -> Any:
        report = run_import(owner=owner, source=ImportSource.LINKEDIN, data=next(files))
        _check(report, job_changes=changes)
        return report

    return call


@scenario("export_json_30k", repeat=1, target_ms=5000, max_growth=None, same_queries=False)
def export_backup(ctx: Context) -> Callable[[], Any]:
    def call() -> int:
        return sum(len(chunk) for chunk in export_json(ctx.user))

    tracemalloc.start()
    size = call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"# export_json: {ctx.size} contacts, {size / 1_048_576:.1f} MB of JSON, "
        f"peak Python memory {peak / 1_048_576:.1f} MB (tracemalloc)",
        flush=True,
    )
    return call
