"""Celery tasks of the contacts app: thin wrappers that take ids and call services."""

from celery import shared_task

from contacts.importers.jobs import (
    PREVIEW_TASK,
    RUN_IMPORT_TASK,
    import_job_process,
    import_jobs_fail_stuck,
)
from contacts.importers.monica_jobs import FETCH_TASK, monica_fetch_process
from contacts.importers.previews import import_job_preview, import_jobs_forget_abandoned
from crm.celery import retry_policy


# The import is one transaction, so a retry after a database hiccup starts clean. A
# worker killed mid-import (SIGKILL, out of memory) committed nothing, and the job is
# safe to run again: reject_on_worker_lost puts the message back on the queue instead
# of acknowledging it, so the import starts over rather than hanging at "0 of N" for
# ever (import_job_process gives up after a few such starts). The time limits are
# CELERY_TASK_TIME_LIMIT's, which the broker's visibility timeout exceeds.
@shared_task(
    name=RUN_IMPORT_TASK,
    **retry_policy(backoff_max=5 * 60, max_retries=5),
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_import_job(job_id: int) -> str:
    return import_job_process(job_id)


@shared_task(
    **retry_policy(backoff_max=60, max_retries=3), time_limit=5 * 60, soft_time_limit=4 * 60
)
def fail_stuck_imports() -> int:
    """Fail imports running past the time limit: their worker is gone."""
    return import_jobs_fail_stuck()


# The preview is a dry run, rolled back: safe to run again after a worker died.
@shared_task(
    name=PREVIEW_TASK,
    **retry_policy(backoff_max=60, max_retries=3),
    acks_late=True,
    reject_on_worker_lost=True,
)
def preview_import_job(job_id: int) -> str:
    return import_job_preview(job_id)


@shared_task(
    **retry_policy(backoff_max=60, max_retries=3), time_limit=10 * 60, soft_time_limit=9 * 60
)
def forget_abandoned_imports() -> dict[str, int]:
    """Delete previews nobody confirmed within a day, and uploads kept for retrying."""
    deleted, dropped = import_jobs_forget_abandoned()
    return {"previews_deleted": deleted, "uploads_dropped": dropped}


# Each run fetches a share of the pages and queues the next; a worker killed mid-run
# leaves the pages it saved, and the message (acks_late) goes to another worker.
@shared_task(
    name=FETCH_TASK,
    **retry_policy(backoff_max=5 * 60, max_retries=5),
    acks_late=True,
    reject_on_worker_lost=True,
)
def fetch_monica_job(job_id: int) -> str:
    def requeue(wait: int) -> None:
        fetch_monica_job.apply_async(args=[job_id], countdown=wait)

    return monica_fetch_process(job_id, requeue=requeue)
