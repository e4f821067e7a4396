"""One list of retryable errors (crm.celery.RETRYABLE_ERRORS) for every task."""

import pytest

from crm.celery import RETRYABLE_ERRORS, app, retry_policy

# Importing the task modules the way a worker does fires Celery's Django fix-up, which checks
# the database connection's health: on SQLite that is a database access.
pytestmark = pytest.mark.django_db

# Run by beat every minute: the next run is the retry.
NOT_RETRIED = {"crm.tasks.flush_outbox", "reminders.tasks.record_beat_heartbeat"}


def _our_tasks() -> dict[str, object]:
    app.loader.import_default_modules()
    return {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in {"crm", "contacts", "reminders", "carddav"}
    }


def test_every_task_retries_exactly_the_shared_list() -> None:
    tasks = _our_tasks()
    assert {"contacts.tasks.run_import_job", "reminders.tasks.scan_user"} <= tasks.keys()
    wrong = {
        name: getattr(task, "autoretry_for", ())
        for name, task in tasks.items()
        if name not in NOT_RETRIED and tuple(getattr(task, "autoretry_for", ())) != RETRYABLE_ERRORS
    }
    assert not wrong, wrong
    assert tasks.keys() >= NOT_RETRIED, "a task left out here no longer exists"


def test_the_retry_policy_backs_off_with_jitter() -> None:
    policy = retry_policy(backoff_max=60, max_retries=3)
    assert policy["autoretry_for"] is RETRYABLE_ERRORS
    assert policy["retry_jitter"] is True and policy["retry_backoff_max"] == 60


def test_the_import_job_queues_the_task_by_its_registered_name() -> None:
    from contacts.importers.jobs import RUN_IMPORT_TASK
    from contacts.tasks import run_import_job

    assert run_import_job.name == RUN_IMPORT_TASK
    assert RUN_IMPORT_TASK in _our_tasks()
