"""Celery tasks of the contacts app: thin wrappers that take ids and call services."""

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import OperationalError

from contacts.importers.jobs import import_job_process

# The import is one transaction, so a retry after a database hiccup starts clean.
RETRY_ON = (OperationalError, redis.exceptions.ConnectionError, kombu.exceptions.OperationalError)


@shared_task(
    autoretry_for=RETRY_ON,
    retry_backoff=5,
    retry_backoff_max=5 * 60,
    retry_jitter=True,
    max_retries=5,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def run_import_job(job_id: int) -> str:
    return import_job_process(job_id)
