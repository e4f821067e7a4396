"""The import task: runs a confirmed job once, atomically, and records the outcome."""

import pytest
from django.contrib.auth.models import User

from contacts.importers.jobs import import_job_confirm
from contacts.importers.previews import import_job_create
from contacts.models import Contact, ImportJob, ImportStatus
from contacts.tasks import run_import_job
from crm.data_version import is_version_bump
from tests.factories import ImportJobFactory

CSV = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b"Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
    b"Tom,Brien,https://www.linkedin.com/in/tobrien,,Initech,Dev,01 Jul 2016\r\n"
)


def make_job(user: User, data: bytes = CSV) -> ImportJob:
    return import_job_create(
        owner=user, source="linkedin", filename="Connections.csv", data=data, trust_level=None
    )


@pytest.mark.django_db
def test_it_is_queued_once_on_commit(user: User, django_capture_on_commit_callbacks) -> None:
    job = make_job(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert import_job_confirm(job) is True
        assert import_job_confirm(job) is False
    # The task's message once (the owner's data version moves on commit too).
    assert len([c for c in callbacks if not is_version_bump(c)]) == 1
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_it_records_counts_and_report_and_empties_the_payload(user: User) -> None:
    job = make_job(user)
    assert run_import_job(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.payload == b""
    assert (job.created_count, job.total_rows, job.processed_rows) == (2, 2, 2)
    assert [c["name"] for c in job.report["created"]] == ["Jill Okafor", "Tom Brien"]
    assert job.started_at and job.finished_at


@pytest.mark.django_db
def test_running_a_finished_job_again_does_nothing(user: User) -> None:
    job = make_job(user)
    run_import_job(job.pk)
    Contact.objects.all().delete()
    assert run_import_job(job.pk) == "skipped"
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_bad_payload_fails_the_job_with_its_message(user: User) -> None:
    job = ImportJobFactory(owner=user, payload=b"no,header\n1,2\n", report={"confirmed": True})
    assert run_import_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "No header row" in job.error


@pytest.mark.django_db
def test_a_crash_part_way_fails_the_job_and_saves_nothing(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = make_job(user)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("contacts.importers.people._close_positions", explode)
    assert run_import_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "nothing was imported" in job.error
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_new_upload_forgets_previews_abandoned_for_a_day(user: User, other_user: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    old = ImportJobFactory(owner=user, payload=CSV, report={"preview": {}})
    queued = ImportJobFactory(owner=user, status="done", report={"confirmed": True})
    theirs = ImportJobFactory(owner=other_user, payload=CSV, report={"preview": {}})
    ImportJob.objects.filter(pk__in=[old.pk, queued.pk, theirs.pk]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    fresh = make_job(user)
    remaining = set(ImportJob.objects.values_list("pk", flat=True))
    assert remaining == {queued.pk, theirs.pk, fresh.pk}


@pytest.mark.django_db
def test_an_unreachable_broker_leaves_the_job_waiting_in_the_outbox(
    auth_client, user: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    import kombu.exceptions
    from django.urls import reverse

    from crm.models import TaskMessage

    def down(*args: object, **kwargs: object) -> None:
        raise kombu.exceptions.OperationalError("Connection refused")

    job = make_job(user)
    with monkeypatch.context() as patch:
        patch.setattr(run_import_job, "apply_async", down)
        with django_capture_on_commit_callbacks(execute=True):
            response = auth_client.post(
                reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"}
            )
        assert response.status_code == 302
        job.refresh_from_db()
        assert job.status == ImportStatus.PENDING and job.report["confirmed"]
        assert TaskMessage.objects.get().args == [job.pk]
        page = auth_client.get(response["Location"]).content.decode()
        assert "will start when it is back" in page
    assert not Contact.objects.exists()
