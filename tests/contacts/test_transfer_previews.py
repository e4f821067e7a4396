"""Previews: large files in the worker with progress, one in flight, caps, and the clean-up."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from contacts.importers import ImportReport
from contacts.importers.previews import import_job_preview, import_jobs_forget_abandoned
from contacts.models import Contact, ImportJob, ImportStatus
from crm.celery import app
from crm.models import TaskMessage
from tests.contacts.test_transfer_worker_death import csv_of
from tests.factories import ImportJobFactory, UserFactory

POLL = {"HX-Request": "true", "HX-Target": "preview-progress"}


def upload(client: Client, data: bytes, name: str = "Connections.csv") -> Any:
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("contacts:import"), {"source": "linkedin", "file": file})


@pytest.fixture
def worker_previews(settings: Settings) -> None:
    settings.IMPORT_PREVIEW_INLINE_BYTES = 100  # every test file goes to the worker


@pytest.mark.django_db
def test_a_small_upload_is_previewed_in_the_request(auth_client: Client) -> None:
    response = upload(auth_client, csv_of(2))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.report["preview"]["counts"]["created"] == 2
    assert not TaskMessage.objects.exists()


@pytest.mark.django_db
def test_a_large_upload_is_previewed_by_the_worker_with_progress(
    worker_previews: None, auth_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(auth_client, csv_of(3))
    job = ImportJob.objects.get()
    assert job.report == {"previewing": True} and job.total_rows == 0
    page = auth_client.get(response["Location"])
    assert page.status_code == 200
    assert "Reading the file" in page.text and 'hx-trigger="every 1s"' in page.text
    poll = auth_client.get(response["Location"], headers=POLL)
    assert poll.status_code == 200 and 'id="preview-progress"' in poll.text
    assert "<html" not in poll.text
    # Confirming before the preview is in does nothing.
    auth_client.post(response["Location"], {"action": "commit"})
    job.refresh_from_db()
    assert "confirmed" not in job.report
    for callback in queued:
        callback()  # the worker (inline here) makes the preview
    job.refresh_from_db()
    assert job.total_rows == 3 and job.report["preview"]["counts"]["created"] == 3
    done_poll = auth_client.get(response["Location"], headers=POLL)
    assert done_poll["HX-Redirect"] == response["Location"]
    preview = auth_client.get(response["Location"])
    assert "What this import will do" in preview.text
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_file_the_worker_cannot_read_fails_and_its_upload_is_dropped(
    worker_previews: None, auth_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(auth_client, b"no,header,here\n" * 20)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.payload == b""
    page = auth_client.get(response["Location"], follow=True)
    assert page.status_code == 200 and "No header row" in page.text


@pytest.mark.django_db
def test_the_worker_skips_a_preview_that_was_cancelled(user: User) -> None:
    job = ImportJobFactory(owner=user, payload=csv_of(1), report={"previewing": True})
    job_id = job.pk
    job.delete()
    assert import_job_preview(job_id) == "skipped"


@pytest.mark.django_db
def test_a_second_upload_waits_for_the_import_in_flight(auth_client: Client, user: User) -> None:
    ImportJobFactory(owner=user, filename="first.csv", report={"confirmed": True})
    response = upload(auth_client, csv_of(1))
    assert response.status_code == 409
    assert "Your import of “first.csv” is still in progress" in response.text
    assert ImportJob.objects.count() == 1
    other = Client()
    other.force_login(UserFactory(username="someone-else"))
    assert upload(other, csv_of(1)).status_code == 302


@pytest.mark.django_db
def test_a_preview_being_made_counts_as_in_flight(auth_client: Client, user: User) -> None:
    ImportJobFactory(owner=user, payload=csv_of(1), report={"previewing": True})
    assert upload(auth_client, csv_of(1)).status_code == 409


@pytest.mark.django_db
def test_a_second_confirm_waits_for_the_first_import(
    auth_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    first = upload(auth_client, csv_of(1), "a.csv")["Location"]
    second = upload(auth_client, csv_of(2), "b.csv")["Location"]
    with django_capture_on_commit_callbacks(execute=False):
        auth_client.post(first, {"action": "commit"})
    page = auth_client.post(second, {"action": "commit"}, follow=True)
    assert "Your import of “a.csv” is still in progress" in page.text
    assert ImportJob.objects.get(filename="b.csv").report.get("confirmed") is None


@pytest.mark.django_db
def test_unconfirmed_previews_are_capped_in_number(auth_client: Client, settings: Settings) -> None:
    settings.IMPORT_MAX_PREVIEWS = 2
    for name in ("a.csv", "b.csv", "c.csv"):
        assert upload(auth_client, csv_of(1), name).status_code == 302
    assert sorted(ImportJob.objects.values_list("filename", flat=True)) == ["b.csv", "c.csv"]


@pytest.mark.django_db
def test_unconfirmed_previews_are_capped_in_bytes(auth_client: Client, settings: Settings) -> None:
    settings.IMPORT_MAX_BYTES = settings.IMPORT_MAX_PREVIEW_BYTES = 2048
    data = csv_of(11)
    assert 2048 / 3 < len(data) <= 2048 / 2
    for name in ("a.csv", "b.csv", "c.csv"):
        assert upload(auth_client, data, name).status_code == 302
    assert sorted(ImportJob.objects.values_list("filename", flat=True)) == ["b.csv", "c.csv"]


@pytest.mark.django_db
def test_the_clean_up_forgets_abandoned_previews_and_old_uploads(user: User) -> None:
    long_ago = timezone.now() - timedelta(days=2)
    abandoned = ImportJobFactory(owner=user, payload=csv_of(1), report={"preview": {}})
    stuck_preview = ImportJobFactory(owner=user, payload=csv_of(1), report={"previewing": True})
    fresh = ImportJobFactory(owner=user, payload=csv_of(1), report={"preview": {}})
    waiting = ImportJobFactory(owner=user, payload=csv_of(1), report={"confirmed": True})
    failed = ImportJobFactory(
        owner=user,
        payload=csv_of(1),
        status=ImportStatus.FAILED,
        finished_at=long_ago,
        report={"confirmed": True, "retryable": True},
    )
    recent_failure = ImportJobFactory(
        owner=user,
        payload=csv_of(1),
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        report={"confirmed": True, "retryable": True},
    )
    ImportJob.objects.filter(pk__in=[abandoned.pk, stuck_preview.pk, waiting.pk]).update(
        created_at=long_ago
    )
    assert import_jobs_forget_abandoned() == (2, 1)
    remaining = set(ImportJob.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, waiting.pk, failed.pk, recent_failure.pk}
    failed.refresh_from_db()
    assert failed.payload == b"" and failed.report["retryable"] is False
    recent_failure.refresh_from_db()
    assert recent_failure.payload and recent_failure.report["retryable"]
    assert "forget-abandoned-imports" in app.conf.beat_schedule


def test_the_report_keeps_a_bounded_number_of_warnings_and_counts_them_all() -> None:
    report = ImportReport(warnings=[f"Line {n}: odd" for n in range(2000)])
    kept = report.as_dict(limit=500)
    assert len(kept["warnings"]) == 500 and kept["counts"]["warnings"] == 2000


@pytest.mark.django_db
def test_the_result_page_says_how_many_more_warnings_there_were(
    auth_client: Client, user: User
) -> None:
    report = ImportReport(warnings=[f"Line {n}: odd" for n in range(700)])
    job = ImportJobFactory(
        owner=user,
        status=ImportStatus.DONE,
        report={**report.as_dict(limit=500), "confirmed": True},
    )
    page = auth_client.get(reverse("contacts:import_job", args=[job.pk]))
    assert "… and 680 more." in page.text


@pytest.mark.django_db
def test_back_to_a_preview_in_progress_shows_the_whole_page(
    auth_client: Client, user: User
) -> None:
    # htmx restoring history (Back after the poll) swaps the answer in as the whole body.
    job = ImportJobFactory(owner=user, payload=csv_of(1), report={"previewing": True})
    url = reverse("contacts:import_preview", args=[job.pk])
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = auth_client.get(url, headers=restore)
    assert page.status_code == 200 and "<html" in page.text
    poll = auth_client.get(url, headers=POLL)
    assert 'id="preview-progress"' in poll.text and "<html" not in poll.text
