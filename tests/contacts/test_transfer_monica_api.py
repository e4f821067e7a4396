"""Moving in from Monica 4.x through its REST API, against a fake Monica served over
HTTP in the test: paging, a 429 with Retry-After, a resumed fetch, wrong addresses."""

import json
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from contacts.exporters import export_json
from contacts.importers import monica_api, run_import
from contacts.importers.monica_api import fetch_account
from contacts.importers.monica_jobs import monica_fetch_create, monica_fetch_process
from contacts.models import Contact, ImportJob, ImportStatus, Interaction
from tests.contacts.monica_server import TOKEN, FakeMonica, fake_monica

TODAY = date(2026, 11, 29)


@pytest.fixture
def monica(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMonica]:
    monkeypatch.setattr(monica_api, "PAGE_SIZE", 2)  # 4 contacts: two pages
    with fake_monica() as fake:
        yield fake


def people(owner: User) -> dict[str, dict[str, Any]]:
    document = json.loads("".join(export_json(owner)))
    return {f"{c['first_name']} {c['last_name']}".strip(): c for c in document["contacts"]}


@pytest.mark.django_db
def test_the_account_is_read_page_by_page_waiting_out_a_429(user: User, monica: FakeMonica) -> None:
    monica.limited[("/api/contacts", 2)] = "7"
    waits: list[float] = []
    data = fetch_account(url=monica.url, token=TOKEN, sleep=waits.append)
    assert waits == [7]  # Retry-After honoured
    assert monica.pages_of("/api/contacts") == [1, 2, 2]  # the page asked again after the wait
    assert all(not r.startswith("http") for r in monica.requests)  # only the address typed
    report = run_import(owner=user, source="monica_api", data=data, today=TODAY)
    assert report.summary == "created=4 updated=0 job_changes=0 skipped=1"  # Lili is partial
    found = people(user)
    ana = found["Ана Петрова"]
    assert [e["email"] for e in ana["emails"]] == ["ana@example.ru", "ana.petrova@work.example"]
    assert ana["linkedin_url"] == "https://www.linkedin.com/in/ana-petrova"
    assert ana["birthday"] == "1990-05-03"
    assert ana["met_on"] == "2012-09-01"
    assert ana["how_we_met"] == "At the bouldering gym in Moscow"
    assert ana["introduced_by"] == found["José Núñez"]["id"]
    assert ana["positions"][0]["company"] == "Яндекс"
    assert "Partner of José Núñez\nParent of Lili Петрова" in ana["notes"]
    assert "Home: Тверская ул., 1, 125009 Москва, Russia" in ana["notes"]
    assert "You owe them €20.00: Concert tickets" in ana["notes"]
    assert found["José Núñez"]["birthday"] == "--12-24"
    assert report.extra["monica"] == {"introductions": 1, "interactions": 4, "dates": 2}
    notes = {i.summary: i.notes for i in Interaction.objects.filter(owner=user)}
    assert notes["They called"] == "Talked about her move to Berlin.\nEmotions: happy"
    assert notes["Dinner at Chez Panisse"].endswith("Emotions: grateful")


@pytest.mark.django_db
def test_the_export_then_the_api_find_the_same_people(user: User, monica: FakeMonica) -> None:
    from tests.contacts.test_transfer_monica import FIXTURE

    run_import(owner=user, source="monica", data=FIXTURE.read_bytes(), today=TODAY)
    again = run_import(
        owner=user,
        source="monica_api",
        data=fetch_account(url=monica.url, token=TOKEN),
        today=TODAY,
    )
    assert again.created == []  # Monica's uuids match, even for Søren without an email
    assert Contact.objects.filter(owner=user).count() == 4


@pytest.mark.django_db
def test_a_stopped_worker_is_followed_by_one_that_carries_on(
    user: User, monica: FakeMonica
) -> None:
    job = monica_fetch_create(owner=user, url=monica.url, token=TOKEN, trust_level=None)
    requeued: list[int] = []
    assert monica_fetch_process(job.pk, requeue=requeued.append, pages=3) == "continues"
    job.refresh_from_db()
    assert job.report["fetch"]["state"]["pages_read"] == 3  # saved on the job
    # The first worker is gone; the next picks the job up from where it was saved.
    monica.limited[("/api/notes", 1)] = "30"
    assert monica_fetch_process(job.pk, requeue=requeued.append) == "waiting"
    assert requeued == [0, 30]  # queued again after Retry-After, without holding the worker
    assert monica_fetch_process(job.pk, requeue=requeued.append) == "done"
    asked = [r.split("&limit")[0] for r in monica.requests if "page=" in r]
    retried = "/api/notes?page=1"
    assert len(asked) == len(set(asked)) + 1 and asked.count(retried) == 2  # nothing else twice
    job.refresh_from_db()
    assert "fetch" not in job.report  # the token is forgotten
    assert job.report["preview"]["counts"]["created"] == 4
    assert not Contact.objects.filter(owner=user).exists()  # a preview saves nothing


@pytest.mark.django_db
def test_the_web_flow_reads_previews_and_imports(
    auth_client: Client, user: User, monica: FakeMonica, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            reverse("contacts:import_monica"), {"monica-url": monica.url, "monica-token": TOKEN}
        )
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert job.source == "monica_api" and job.filename == monica.url.removeprefix("http://")
    page = auth_client.get(reverse("contacts:import_preview", args=[job.pk])).content.decode()
    assert "From Monica: relationships" in page
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert job.payload == b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("{url}", "wrong", "refused the token (401)"),
        ("{url}/elsewhere", TOKEN, "has no Monica API"),
        ("http://127.0.0.1:9/", TOKEN, "Could not reach 127.0.0.1:9"),
        ("ftp://monica.example.org", TOKEN, "as it is in the browser"),
        ("monica", TOKEN, "Enter a valid URL"),
    ],
)
def test_a_wrong_address_or_token_is_a_clear_400_and_nothing_saved(
    auth_client: Client, user: User, monica: FakeMonica, url: str, token: str, message: str
) -> None:
    response = auth_client.post(
        reverse("contacts:import_monica"),
        {"monica-url": url.format(url=monica.url), "monica-token": token},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_the_command_reads_the_api_and_exits_2_on_a_wrong_token(
    user: User, monica: FakeMonica
) -> None:
    out = StringIO()
    call_command("import_monica", url=monica.url, token=TOKEN, user="alice", stdout=out)
    assert out.getvalue().startswith("created=4 updated=0 job_changes=0 skipped=1")
    with pytest.raises(CommandError, match="refused the token") as error:
        call_command("import_monica", url=monica.url, token="nope", user="alice")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="either the export's PATH") as error:
        call_command("import_monica", user="alice")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_reading_shows_its_progress_and_a_cancel_stops_it(
    auth_client: Client, user: User, monica: FakeMonica
) -> None:
    job = monica_fetch_create(owner=user, url=monica.url, token=TOKEN, trust_level=None)
    monica_fetch_process(job.pk, requeue=lambda wait: None, pages=1)
    url = reverse("contacts:import_preview", args=[job.pk])
    page = auth_client.get(url).content.decode()
    assert "Reading your Monica account…" in page
    assert "1 of at least" in page
    auth_client.post(url, {"action": "cancel"})
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    asked = len(monica.requests)
    assert monica_fetch_process(job.pk, requeue=lambda wait: None) == "skipped"
    assert len(monica.requests) == asked  # nothing more is read
