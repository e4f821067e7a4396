"""Celery tasks of the contacts app: thin wrappers that take ids and call services."""

from celery import shared_task

from contacts.importers.jobs import RUN_IMPORT_TASK, import_job_process
from crm.celery import retry_policy


# The import is one transaction, so a retry after a database hiccup starts clean.
@shared_task(
    name=RUN_IMPORT_TASK,
    **retry_policy(backoff_max=5 * 60, max_retries=5),
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def run_import_job(job_id: int) -> str:
    return import_job_process(job_id)
