"""The Celery application: configured from Django settings (CELERY_*)."""

import os
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Celery
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("rapport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Database or broker hiccups: worth retrying with backoff. Anything else is a bug and is
# not retried (a retry would repeat it). The one list every task uses.
RETRYABLE_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    kombu.exceptions.OperationalError,
)


def retry_policy(*, backoff_max: int, max_retries: int) -> dict[str, Any]:
    """`@shared_task(**retry_policy(...))`: retry RETRYABLE_ERRORS with jittered backoff."""
    return {
        "autoretry_for": RETRYABLE_ERRORS,
        "retry_backoff": 5,
        "retry_backoff_max": backoff_max,
        "retry_jitter": True,
        "max_retries": max_retries,
    }
