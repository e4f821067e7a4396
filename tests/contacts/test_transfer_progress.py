"""The import progress page speaks at milestones, not at every poll.

The bar and the row count are polled quietly; one live region (role=status) gets
new words only when the import starts, passes another tenth of its rows, finishes
or fails. The poll sends back the milestone the page last announced.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from contacts.import_progress import import_announcement
from contacts.importers.jobs import PROGRESS_KEY
from contacts.models import ImportJob, ImportStatus
from tests.factories import ImportJobFactory

LIVE = {"aria-live", "role"}


class Region(HTMLParser):
    """Attributes of every element, and the elements inside #import-progress."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.inside: list[dict[str, str | None]] = []
        self.depth = 0  # open elements inside #import-progress

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        if element_id := attrs.get("id"):
            self.by_id[element_id] = attrs
        if self.depth:
            self.inside.append(attrs)
            if tag not in {"progress", "br", "img", "input"}:
                self.depth += 1
        elif attrs.get("id") == "import-progress":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def parse(html: str) -> Region:
    region = Region()
    region.feed(html)
    return region


def _job(user: User, **fields: object) -> ImportJob:
    values = {"status": ImportStatus.RUNNING, "total_rows": 400, "report": {"confirmed": True}}
    return ImportJobFactory(owner=user, **{**values, **fields})


def _poll(client: Client, job: ImportJob, said: str) -> str:
    url = reverse("contacts:import_job", args=[job.pk])
    response = client.get(url, {"said": said}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def _progress(job: ImportJob, rows: int) -> None:
    cache.set(PROGRESS_KEY.format(pk=job.pk), rows)


# --- The milestones ------------------------------------------------------------------


def test_it_moves_on_only_at_each_tenth_of_the_rows() -> None:
    job = ImportJob(status=ImportStatus.RUNNING, total_rows=1000)
    keys: list[str] = []
    for done in range(0, 1001, 7):
        key = import_announcement(job, done).key
        if not keys or keys[-1] != key:
            keys.append(key)
    assert keys == [f"running-{step}" for step in range(0, 91, 10)]
    assert import_announcement(job, 1000).key == "running-100"


def test_it_words_each_milestone() -> None:
    job = ImportJob(status=ImportStatus.PENDING, total_rows=3)
    assert import_announcement(job, 0).text == (
        "Waiting for the background worker to start the import."
    )
    job.status = ImportStatus.RUNNING
    assert import_announcement(job, 0).text == "Import started: 0 of 3 rows."
    assert import_announcement(job, 1).text == "Importing: 30% (1 of 3 rows)."
    assert import_announcement(job, 3).text == "All 3 rows read; saving them."
    job.status = ImportStatus.DONE
    job.created_count, job.updated_count, job.job_change_count, job.skipped_count = 1, 2, 1, 0
    assert import_announcement(job, 3).text == (
        "Import finished: 1 new contact, 2 updated, 1 job change or promotion, 0 skipped."
    )
    job.status, job.error = ImportStatus.FAILED, "No header row found."
    assert import_announcement(job, 0).text == (
        "The import failed. No header row found. Nothing was imported."
    )


def test_an_empty_file_does_not_divide_by_zero() -> None:
    job = ImportJob(status=ImportStatus.RUNNING, total_rows=0)
    assert import_announcement(job, 5).key == "running-0"


# --- The page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_has_one_live_region_outside_the_polled_parts(
    auth_client: Client, user: User
) -> None:
    job = _job(user)
    _progress(job, 100)
    html = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    page = parse(html)
    status = page.by_id["import-announcement"]
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert "Importing: 20% (100 of 400 rows)." in html
    assert not LIVE & set(page.by_id["import-progress"])
    assert page.inside, "expected the progress section inside #import-progress"
    assert not any(LIVE & set(attrs) for attrs in page.inside), "a live region is polled"
    poller = page.by_id["import-poll"]
    assert poller["hx-trigger"] == "every 1s" and poller["hx-swap"] == "none"
    assert (poller["hx-get"] or "").endswith("?said=running-20")
    assert page.by_id["import-bar"]["value"] == "100"


@pytest.mark.django_db
def test_a_poll_between_milestones_moves_the_bar_and_says_nothing(
    auth_client: Client, user: User
) -> None:
    job = _job(user)
    _progress(job, 110)
    html = _poll(auth_client, job, "running-20")
    page = parse(html)
    assert page.by_id["import-bar"]["value"] == "110"
    assert page.by_id["import-count"]["hx-swap-oob"] == "true"
    assert "import-announcement" not in page.by_id
    assert "import-progress" not in page.by_id  # the section keeps its place
    assert "import-poll" not in page.by_id  # and the poll its timer


@pytest.mark.django_db
def test_a_poll_that_passes_a_milestone_says_it_once(auth_client: Client, user: User) -> None:
    job = _job(user)
    _progress(job, 130)
    page = parse(html := _poll(auth_client, job, "running-20"))
    assert page.by_id["import-announcement"]["hx-swap-oob"] == "innerHTML"  # same node
    assert "Importing: 30% (130 of 400 rows)." in html
    assert (page.by_id["import-poll"]["hx-get"] or "").endswith("?said=running-30")
    # The next poll comes back with the new milestone: nothing more to say.
    _progress(job, 150)
    assert "import-announcement" not in parse(_poll(auth_client, job, "running-30")).by_id


@pytest.mark.django_db
def test_the_worker_starting_redraws_the_section(auth_client: Client, user: User) -> None:
    job = _job(user, status=ImportStatus.PENDING)
    html = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "Waiting for the background worker…" in html
    assert "If nothing happens within a minute" in html
    job.status = ImportStatus.RUNNING
    job.save()
    page = parse(html := _poll(auth_client, job, "waiting"))
    assert page.by_id["import-progress"]["hx-swap-oob"] == "true"
    assert "Importing…" in html and "Import started: 0 of 400 rows." in html


@pytest.mark.django_db
def test_the_end_is_announced_with_the_summary_and_stops_the_poll(
    auth_client: Client, user: User
) -> None:
    job = _job(user)
    job.status, job.created_count, job.updated_count = ImportStatus.DONE, 390, 10
    job.save()
    page = parse(html := _poll(auth_client, job, "running-90"))
    assert "Import finished: 390 new contacts, 10 updated, 0 job changes or promotions" in html
    assert page.by_id["import-progress"]["hx-swap-oob"] == "true"
    assert "hx-get" not in page.by_id["import-poll"] and "hx-trigger" not in html
    assert not any(LIVE & set(attrs) for attrs in page.inside)


@pytest.mark.django_db
def test_a_failure_is_announced_with_its_reason(auth_client: Client, user: User) -> None:
    job = _job(user, status=ImportStatus.FAILED, error="No header row found.")
    html = _poll(auth_client, job, "running-0")
    assert "The import failed. No header row found. Nothing was imported." in html
    assert 'role="alert"' not in html  # the live region says it; no second voice


@pytest.mark.django_db
@pytest.mark.parametrize("said", ["", "junk", "running-abc", "done-7", "x" * 500, "\x00"])
def test_a_poll_with_a_strange_milestone_says_where_it_is(
    auth_client: Client, user: User, said: str
) -> None:
    job = _job(user)
    _progress(job, 200)
    page = parse(html := _poll(auth_client, job, said))
    assert {"import-announcement", "import-poll", "import-bar"} <= set(page.by_id)
    assert "Importing: 50% (200 of 400 rows)." in html


@pytest.mark.django_db
def test_a_job_nobody_picks_up_for_a_minute_says_the_worker_is_not_running(
    auth_client: Client, user: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    user.is_staff = True
    user.save()
    job = _job(user, status=ImportStatus.PENDING)
    job.report = {"confirmed": True, "confirmed_at": timezone.now().isoformat()}
    job.save()
    url = reverse("contacts:import_job", args=[job.pk])
    assert "Still waiting" not in auth_client.get(url).content.decode()
    job.report["confirmed_at"] = (timezone.now() - timedelta(seconds=61)).isoformat()
    job.save()
    # The poll notices the new phase and redraws the section with what to do.
    page = parse(html := _poll(auth_client, job, "waiting"))
    assert page.by_id["import-progress"]["hx-swap-oob"] == "true"
    assert "Still waiting for the background worker" in html
    assert "docker compose up -d worker" in html
    assert f'href="{reverse("status")}"' in html
    assert "has not started the import after a minute" in html  # spoken once


@pytest.mark.django_db
def test_a_late_worker_is_explained_without_the_operators_commands_to_others(
    auth_client: Client, user: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    job = _job(user, status=ImportStatus.PENDING)
    job.report = {"confirmed": True}
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    html = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "Still waiting for the background worker" in html
    assert "docker compose" not in html
    assert "Ask whoever runs this Rapport" in html
    assert f'href="{reverse("status")}"' in html
