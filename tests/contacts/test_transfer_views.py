"""The import page, preview, progress and result pages, and the export downloads."""

import csv
import io
import json
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from contacts.importers.jobs import import_job_confirm, import_job_discard
from contacts.models import Contact, ImportJob, ImportStatus
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ImportJobFactory,
    PositionFactory,
    backup_json,
)
from tests.types import ClientResponse

CSV = (
    "Notes:\r\nsome preamble\r\n\r\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
    'Tom,O\'Brien,https://www.linkedin.com/in/tobrien,,Initech,"Dev, Platform",01 Jul 2016\r\n'
)


def _streamed(response: ClientResponse) -> bytes:
    """The body of a streamed download (the test client's type does not know it streams)."""
    assert response.streaming
    return cast(StreamingHttpResponse, response).getvalue()


def upload(client: Client, content: bytes, name: str = "Connections.csv", **data: str):
    data.setdefault("source", "linkedin")
    return client.post(
        reverse("contacts:import"), {**data, "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.django_db
def test_it_shows_the_import_and_export_page(auth_client: Client) -> None:
    response = auth_client.get(reverse("contacts:import"))
    assert response.status_code == 200
    assert b"Upload and preview" in response.content
    assert b"?format=json" in response.content and b"?format=csv" in response.content


@pytest.mark.django_db
def test_an_upload_shows_a_preview_and_saves_no_contacts(auth_client: Client, user: User) -> None:
    response = upload(auth_client, CSV.encode(), trust_level="acquaintance")
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:import_preview", args=[job.pk])
    assert not Contact.objects.exists()
    page = auth_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jill Okafor" in html and "Dev, Platform" in html
    assert "<strong>2</strong> new contacts" in html
    assert "Acquaintance" in html


@pytest.mark.django_db
def test_confirming_runs_the_import_and_shows_the_result(
    auth_client: Client, user: User, django_capture_on_commit_callbacks
) -> None:
    upload(auth_client, CSV.encode(), trust_level="acquaintance")
    job = ImportJob.objects.get(owner=user)
    url = reverse("contacts:import_preview", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(url, {"action": "commit"})
    assert response["Location"] == reverse("contacts:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.payload == b""
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 0, 0)
    assert set(Contact.objects.values_list("trust_level", flat=True)) == {"acquaintance"}
    page = auth_client.get(response["Location"])
    html = page.content.decode()
    assert "Import finished" in html and "hx-trigger" not in html
    jill = Contact.objects.get(first_name="Jill")
    assert reverse("contacts:detail", args=[jill.pk]) in html
    # Confirming twice does not import twice.
    auth_client.post(url, {"action": "commit"})
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_the_result_page_links_job_changes(
    auth_client: Client, user: User, django_capture_on_commit_callbacks
) -> None:
    jill = ContactFactory(owner=user, linkedin_url="https://www.linkedin.com/in/jill-okafor")
    PositionFactory(contact=jill, company="Old Co", title="Partner", start_date=None)
    upload(auth_client, CSV.encode())
    job = ImportJob.objects.get(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"})
    html = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "Job changes and promotions (1)" in html
    assert reverse("contacts:detail", args=[jill.pk]) in html
    assert "Old Co" in html and "Northwind" in html


@pytest.mark.django_db
def test_cancelling_a_preview_deletes_the_job(auth_client: Client, user: User) -> None:
    upload(auth_client, CSV.encode())
    job = ImportJob.objects.get(owner=user)
    response = auth_client.post(
        reverse("contacts:import_preview", args=[job.pk]), {"action": "cancel"}
    )
    assert response.status_code == 302
    assert not ImportJob.objects.exists() and not Contact.objects.exists()


@pytest.mark.django_db
def test_a_running_import_polls_its_progress_every_second(auth_client: Client, user: User) -> None:
    job = ImportJobFactory(
        owner=user, status=ImportStatus.RUNNING, total_rows=400, report={"confirmed": True}
    )
    from django.core.cache import cache

    from contacts.importers.jobs import PROGRESS_KEY

    cache.set(PROGRESS_KEY.format(pk=job.pk), 100)
    url = reverse("contacts:import_job", args=[job.pk])
    page = auth_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'max="400" value="100"' in page
    assert '<meta http-equiv="refresh" content="2">' in page  # inside <noscript>
    assert f'href="{url}">Refresh</a>' in page
    partial = auth_client.get(
        url, {"said": "running-20"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="import-bar" hx-swap-oob="true"' in partial
    assert "<html" not in partial
    job.status = ImportStatus.DONE
    job.save()
    done = auth_client.get(url, {"said": "running-20"}, headers={"HX-Request": "true"})
    html = done.content.decode()
    assert "hx-trigger" not in html and "Import finished" in html


@pytest.mark.django_db
def test_a_failed_import_says_why(auth_client: Client, user: User) -> None:
    job = ImportJobFactory(
        owner=user, status=ImportStatus.FAILED, error="No header row found.", report={}
    )
    html = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "The import failed" in html and "No header row found." in html


@pytest.mark.parametrize(
    ("content", "name", "source", "message"),
    [
        (b"Name,Company\nJill,Acme\n", "Connections.csv", "linkedin", "No header row found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.png", "linkedin", "does not look like"),
        (b"BEGIN:VCARD\nFN:Jill\n", "contacts.vcf", "vcard", "no END:VCARD"),
        (b'{"format": "rapport", "version": 9}', "backup.json", "json", "newer Rapport"),
        (b"\x00\x01\x02\xff\xfe", "Connections.csv", "linkedin", "looks binary"),
        (b"", "Connections.csv", "linkedin", "empty"),
    ],
)
@pytest.mark.django_db
def test_bad_files_get_a_400_with_a_clear_message(
    auth_client: Client, content: bytes, name: str, source: str, message: str
) -> None:
    response = upload(auth_client, content, name=name, source=source)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not Contact.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_gets_a_413(auth_client: Client, settings) -> None:
    settings.IMPORT_MAX_BYTES = 2048
    response = upload(auth_client, CSV.encode() + b"x" * 4096)
    assert response.status_code == 413
    assert "the limit is" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_exports_stream_json_vcard_and_csv(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="=cmd|' /C calc'!A0", last_name="Okafor")
    ContactEmailFactory(contact=contact, email="jill@example.org")
    ContactFactory(owner=user, first_name="@SUM(1+1)", last_name="-2+3")
    json_response = auth_client.get(reverse("contacts:export"), {"format": "json"})
    assert json_response.streaming and json_response["Content-Type"] == "application/json"
    assert "attachment" in json_response["Content-Disposition"]
    document = json.loads(_streamed(json_response))
    assert len(document["contacts"]) == 2
    vcard = _streamed(auth_client.get(reverse("contacts:export"), {"format": "vcard"})).decode()
    assert vcard.count("BEGIN:VCARD") == 2 and "VERSION:3.0" in vcard
    vcard4 = _streamed(
        auth_client.get(reverse("contacts:export"), {"format": "vcard", "version": "4.0"})
    ).decode()
    assert "VERSION:4.0" in vcard4
    body = _streamed(auth_client.get(reverse("contacts:export"), {"format": "csv"})).decode()
    assert body.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][0] == "First name"
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells and "'-2+3" in cells


@pytest.mark.django_db
def test_an_unknown_export_format_is_a_400(auth_client: Client) -> None:
    assert auth_client.get(reverse("contacts:export"), {"format": "xls"}).status_code == 400


@pytest.mark.django_db
def test_exports_hold_only_my_contacts(auth_client: Client, other_user: User) -> None:
    ContactFactory(owner=other_user, first_name="Secret")
    body = _streamed(auth_client.get(reverse("contacts:export"), {"format": "csv"}))
    assert b"Secret" not in body


@pytest.mark.django_db
def test_one_contact_downloads_as_a_vcard(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Jill", last_name="Okafor")
    response = auth_client.get(reverse("contacts:export_contact", args=[contact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard"
    assert 'filename="Jill-Okafor.vcf"' in response["Content-Disposition"]
    assert b"FN:Jill Okafor" in response.content
    # Personal data: kept out of shared and browser caches, like the full export.
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_json_export_query_count_does_not_grow_with_contacts(user: User) -> None:
    from contacts.exporters import export_json

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            "".join(export_json(user))
        return len(queries)

    for _ in range(3):
        ContactEmailFactory(contact=ContactFactory(owner=user))
    small = count()
    for _ in range(30):
        ContactEmailFactory(contact=ContactFactory(owner=user))
    assert count() == small


@pytest.mark.django_db
def test_a_large_backup_is_counted_not_rehearsed_then_imported(
    auth_client: Client,
    user: User,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    monkeypatch.setattr("contacts.importers.previews.JSON_DRY_RUN_MAX_BYTES", 10)
    data = backup_json(
        contacts=[{"id": 1, "first_name": "Ada"}, {"id": 2, "first_name": "Grace"}],
        interactions=[
            {"id": 1, "kind": "call", "occurred_on": "2026-01-02", "summary": "Hi", "contacts": [1]}
        ],
    )
    response = upload(auth_client, data, name="backup.json", source="json")
    html = auth_client.get(response["Location"]).content.decode()
    assert "What this backup holds" in html and "<strong>2</strong> contacts" in html
    assert not Contact.objects.exists()
    job = ImportJob.objects.get(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert Contact.objects.get(first_name="Ada").last_interaction_on is not None


@pytest.mark.django_db
def test_cancelling_a_preview_confirmed_meanwhile_keeps_the_job(
    auth_client: Client, user: User
) -> None:
    # Confirmed in another tab: the import is queued, so the old preview's Cancel
    # must not delete the job under the worker.
    upload(auth_client, CSV.encode())
    stale = ImportJob.objects.get(owner=user)
    assert import_job_confirm(ImportJob.objects.get(pk=stale.pk))
    assert not import_job_discard(job=stale)
    assert ImportJob.objects.filter(pk=stale.pk).exists()
