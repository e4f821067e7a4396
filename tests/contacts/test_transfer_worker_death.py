"""A dead worker never strands an import: reruns, the stuck-job sweep, cancel and retry."""

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.importers import jobs
from contacts.models import Contact, ImportJob, ImportStatus
from contacts.tasks import run_import_job
from crm.celery import app
from tests.factories import ImportJobFactory

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def csv_of(n: int) -> bytes:
    rows = [
        f"Person{i},Number{i},https://www.linkedin.com/in/p-{i},,Acme,Dev,01 Jul 2016\r\n"
        for i in range(n)
    ]
    return HEADER + "".join(rows).encode()


def confirmed_job(owner: User, *, rows: int = 2, **fields: Any) -> ImportJob:
    report = {"confirmed": True, **fields.pop("report", {})}
    return ImportJobFactory(
        owner=owner, payload=csv_of(rows), total_rows=rows, report=report, **fields
    )


@pytest.mark.django_db
def test_a_rerun_after_a_killed_worker_imports_everyone_once(user: User) -> None:
    # The killed run left the job "running" and committed nothing.
    job = confirmed_job(user, rows=3, status=ImportStatus.RUNNING, report={"attempts": 1})
    assert run_import_job(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.created_count, job.report["confirmed"]) == (ImportStatus.DONE, 3, True)
    assert Contact.objects.filter(owner=user).count() == 3


@pytest.mark.django_db
def test_a_job_that_keeps_killing_its_worker_is_failed_not_started_again(user: User) -> None:
    job = confirmed_job(user, status=ImportStatus.RUNNING, report={"attempts": jobs.MAX_ATTEMPTS})
    assert run_import_job(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert f"started {jobs.MAX_ATTEMPTS} times" in job.error and "Nothing was imported" in job.error
    assert job.report["retryable"] and job.payload  # kept for "Try again"
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_the_sweep_fails_jobs_running_past_the_time_limit_and_only_those(user: User) -> None:
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stuck = confirmed_job(user, status=ImportStatus.RUNNING)
    fresh = confirmed_job(user, status=ImportStatus.RUNNING)
    waiting = confirmed_job(user)
    ImportJob.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - limit * 2)
    ImportJob.objects.filter(pk=fresh.pk).update(started_at=timezone.now() - limit / 2)
    assert jobs.import_jobs_fail_stuck() == 1
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stuck.pk: ImportStatus.FAILED,
        fresh.pk: ImportStatus.RUNNING,
        waiting.pk: ImportStatus.PENDING,
    }
    stuck.refresh_from_db()
    assert "Nothing was imported; try again" in stuck.error
    assert jobs.import_jobs_fail_stuck() == 0


@pytest.mark.django_db
def test_a_swept_job_is_retried_with_the_file_it_kept(
    user: User, auth_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = confirmed_job(user, rows=2, status=ImportStatus.RUNNING)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(days=1))
    jobs.import_jobs_fail_stuck()
    page = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert reverse("contacts:import_retry", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(reverse("contacts:import_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2 and job.payload == b""


@pytest.mark.django_db
def test_a_bad_file_is_not_offered_again(user: User, auth_client: Client) -> None:
    job = ImportJobFactory(owner=user, payload=b"no,header\n1,2\n", report={"confirmed": True})
    assert run_import_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.payload == b"" and not job.report["retryable"]
    response = auth_client.post(reverse("contacts:import_retry", args=[job.pk]), follow=True)
    assert "cannot be retried" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


@pytest.mark.django_db
def test_a_job_waiting_for_the_worker_can_be_cancelled_and_the_worker_skips_it(
    user: User, auth_client: Client
) -> None:
    job = confirmed_job(user)
    page = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "Cancel import" in page
    response = auth_client.post(reverse("contacts:import_cancel", args=[job.pk]), follow=True)
    assert "Import cancelled; nothing was imported." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error == jobs.CANCELLED
    assert run_import_job(job.pk) == "skipped"
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_finished_job_cannot_be_cancelled(user: User, auth_client: Client) -> None:
    job = confirmed_job(user, rows=1)
    run_import_job(job.pk)
    response = auth_client.post(reverse("contacts:import_cancel", args=[job.pk]), follow=True)
    assert "already finished" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Contact.objects.count() == 1


@pytest.mark.django_db
def test_a_preview_nobody_confirmed_is_not_cancelled_here(user: User) -> None:
    job = ImportJobFactory(owner=user, payload=csv_of(1), report={"preview": {}})
    assert jobs.import_job_cancel(job=job) is False
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="a cancel from another connection")
@pytest.mark.django_db(transaction=True)
def test_a_cancel_while_importing_rolls_the_import_back(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = confirmed_job(user, rows=1500)
    halfway = threading.Event()
    real_set = jobs.cache.set

    def slow_set(key: str, value: Any, *args: Any, **kwargs: Any) -> None:
        real_set(key, value, *args, **kwargs)
        if value == 500:
            halfway.set()
            time.sleep(1)  # the person presses Cancel now

    monkeypatch.setattr(jobs.cache, "set", slow_set)

    def cancel() -> None:
        try:
            assert halfway.wait(30)
            assert jobs.import_job_cancel(job=ImportJob.objects.get(pk=job.pk))
        finally:
            connections.close_all()

    canceller = threading.Thread(target=cancel)
    canceller.start()
    assert jobs.import_job_process(job.pk) == "cancelled"
    canceller.join(30)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error == jobs.CANCELLED
    assert not Contact.objects.exists()


def test_imports_and_scans_go_back_on_the_queue_when_their_worker_dies() -> None:
    tasks = app.tasks
    for name in (
        "contacts.tasks.run_import_job",
        "reminders.tasks.scan_user",
        "reminders.tasks.scan_all_users",
    ):
        assert tasks[name].reject_on_worker_lost and tasks[name].acks_late, name
    assert not tasks["reminders.tasks.send_digest"].reject_on_worker_lost  # email: not twice


def test_a_dead_workers_message_returns_soon_after_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    import crm.settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
    monkeypatch.setenv("CELERY_TASK_TIME_LIMIT", "600")
    try:
        fresh = importlib.reload(crm.settings)
        options = fresh.CELERY_BROKER_TRANSPORT_OPTIONS
        assert 600 < options["visibility_timeout"] <= 600 + 120
    finally:
        monkeypatch.undo()
        importlib.reload(crm.settings)


def test_every_beat_entry_expires_before_its_next_run() -> None:
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["options"]["expires"] > 0, name
