"""A Monica import through its API as an import job: fetch (resumably) → preview →
confirm → import, the same flow as an upload once the account is fetched.

`monica_fetch_create` checks the address and token at once (a wrong one is a form
error), then saves a job "previewing" with the fetch state in its report and the
pages read so far in its payload. The worker (`monica_fetch_process`) reads pages
and saves them every few seconds, so a worker that stops (killed, restarted, out of time)
is followed by one that continues from the next page; a 429 saves and queues the
job again after its Retry-After instead of holding the worker. When every list is
read, the payload becomes the fetched account, the token is forgotten, and the
job is previewed as an upload is (previews.import_job_preview).
"""

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from contacts.importers.base import ImportFileError
from contacts.importers.monica_api import (
    FetchState,
    MonicaClient,
    RateLimited,
    fetch_page,
    fetched_document,
)
from contacts.importers.previews import (
    PREVIEW_PROGRESS_KEY,
    import_job_preview,
    lock_owner,
    refuse_if_busy,
)
from contacts.models import ImportJob, ImportSource, ImportStatus
from crm.outbox import outbox_send

logger = logging.getLogger(__name__)
FETCH_TASK = "contacts.tasks.fetch_monica_job"
RUN_SECONDS = 120  # one task's share of the fetch; then it queues the next
SAVE_EVERY = 10  # seconds of pages a stopped worker may have to read again
Requeue = Callable[[int], None]  # queue the job's fetch again, after so many seconds


def monica_fetch_create(*, owner: User, url: str, token: str, trust_level: str | None) -> ImportJob:
    """Check the address and token, then queue the fetch; raises MonicaApiError."""
    client = MonicaClient(url, token, timeout=10)
    refuse_if_busy(owner)
    client.check()
    with transaction.atomic():
        lock_owner(owner)
        refuse_if_busy(owner)
        job = ImportJob.objects.create(
            owner=owner,
            source=ImportSource.MONICA_API,
            filename=client.host[:255],
            trust_level=trust_level or None,
            report={
                "previewing": True,
                "fetch": {
                    "url": client.base,
                    "token": client.token,
                    "state": FetchState().as_dict(),
                },
            },
        )
        outbox_send(task=FETCH_TASK, args=[job.pk])
    return job


def _fetching(job_id: int) -> ImportJob | None:
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.PENDING or "fetch" not in job.report:
        return None
    return job


def _save(job: ImportJob, state: FetchState) -> bool:
    """Keep the pages read and where to go on; False if the job was cancelled meanwhile."""
    report = {**job.report, "fetch": {**job.report["fetch"], "state": state.as_dict()}}
    payload = json.dumps(state.data).encode()
    if len(payload) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            gettext(
                "The Monica account is larger than the import limit "
                "(%(size)s MB, IMPORT_MAX_BYTES)."
            )
            % {"size": f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f}"},
            status=413,
        )
    return bool(
        ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.PENDING, report__has_key="fetch"
        ).update(payload=json.dumps(state.data).encode(), report=report)
    )


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.FAILED,
        error=message,
        payload=b"",
        finished_at=timezone.now(),
        report={"preview_failed": True},  # the token goes with the fetch state
    )
    cache.delete(PREVIEW_PROGRESS_KEY.format(pk=job.pk))


def monica_fetch_process(
    job_id: int, *, requeue: Requeue, seconds: float = RUN_SECONDS, pages: int | None = None
) -> str:
    """Fetch pages for a while (or `pages` of them), saving as it goes; then queue the rest."""
    job = _fetching(job_id)
    if job is None:
        return "skipped"
    fetch = job.report["fetch"]
    try:
        saved = json.loads(bytes(job.payload) or b"{}")
        state = FetchState.restore(fetch.get("state", {}), saved if isinstance(saved, dict) else {})
        client = MonicaClient(fetch["url"], fetch["token"])
        started = saved_at = time.monotonic()
        read = 0
        while not state.done:
            if time.monotonic() - started > seconds or (pages is not None and read >= pages):
                return _pause(job, state, requeue, wait=0, outcome="continues")
            try:
                fetch_page(client, state)
            except RateLimited as limited:
                return _pause(job, state, requeue, wait=limited.wait, outcome="waiting")
            read += 1
            cache.set(PREVIEW_PROGRESS_KEY.format(pk=job.pk), state.progress(), timeout=60 * 60)
            # Saving rewrites everything read so far: every few seconds, not every page.
            if time.monotonic() - saved_at >= SAVE_EVERY:
                if not _save(job, state):
                    return "cancelled"
                saved_at = time.monotonic()
    except ImportFileError as error:
        _fail(job, error.message)
        return "failed"
    return _previewed(job, state)


def _pause(job: ImportJob, state: FetchState, requeue: Requeue, *, wait: int, outcome: str) -> str:
    """Save where the fetch got to and queue the rest (after `wait` seconds)."""
    if not _save(job, state):
        return "cancelled"
    requeue(wait)
    return outcome


def _previewed(job: ImportJob, state: FetchState) -> str:
    """Every list is read: forget the token, keep the account, and preview it."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.PENDING, report__has_key="fetch"
    ).update(payload=fetched_document(state), report={"previewing": True})
    if not updated:
        return "cancelled"
    return import_job_preview(job.pk)
