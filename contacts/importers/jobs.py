"""Import jobs: upload → preview (dry run) → confirm → run in the worker → report.

The upload and its preview are in contacts/importers/previews.py; this module
confirms, runs, cancels, retries and sweeps.

The upload is kept in ImportJob.payload so the web process and the worker need
no shared disk. Progress is written to the cache, not the database: the import
itself runs in one transaction that other connections cannot see into until it
commits.
"""

import logging
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.models import ImportJob, ImportSource, ImportStatus
from crm.outbox import outbox_send, outbox_waiting_since

logger = logging.getLogger(__name__)
# The task (contacts.tasks.run_import_job) by name: that module imports this one.
RUN_IMPORT_TASK = "contacts.tasks.run_import_job"
PREVIEW_TASK = "contacts.tasks.preview_import_job"
REPORT_LIMIT = 500  # entries kept per list on the job; the counts are always exact
PROGRESS_KEY = "rapport:import:{pk}:progress"
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ImportSource.LINKEDIN: (".csv", ".zip", ".txt"),
    ImportSource.VCARD: (".vcf", ".vcard", ".txt"),
    ImportSource.JSON: (".json", ".txt"),
    ImportSource.GOOGLE_CSV: (".csv", ".txt"),
    ImportSource.OUTLOOK_CSV: (".csv", ".txt"),
    ImportSource.MONICA: (".json", ".txt"),
}


class Upload(TypedDict):
    """What a saved job imports, as run_import and the preview's dry_run take it."""

    owner: User
    source: str
    data: bytes
    trust_level: str | None


def upload_of(job: ImportJob) -> Upload:
    return Upload(
        owner=job.owner, source=job.source, data=bytes(job.payload), trust_level=job.trust_level
    )


def check_upload(*, source: str, filename: str, size: int) -> None:
    """Refuse before reading: over the size limit (413) or the wrong kind of file (400)."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            gettext(
                "The file is %(size)s MB; the limit is %(limit)s MB "
                "(IMPORT_MAX_BYTES). For a LinkedIn export, upload just Connections.csv."
            )
            % {"size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"},
            status=413,
        )
    if size == 0:
        raise ImportFileError(gettext("The file is empty."))
    allowed = EXTENSIONS.get(source)
    if allowed is None:
        raise ImportFileError(gettext("Choose what kind of file this is."))
    if not filename.lower().endswith(allowed):
        label = ImportSource(source).label
        raise ImportFileError(
            gettext("“%(file)s” does not look like a %(kind)s file; expected %(extensions)s.")
            % {"file": filename, "kind": label, "extensions": ", ".join(allowed)}
        )


def import_job_confirm(job: ImportJob) -> bool:
    """Queue the import with the confirmation, in one transaction; False if already queued.

    The task goes through the outbox (crm/outbox.py): when the broker is down the
    job waits, and starts when the broker is back, instead of failing.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PENDING or job.report.get("confirmed"):
            return False
        job.report["confirmed"] = True
        # When the wait for the worker began: the job page says so after a minute.
        job.report["confirmed_at"] = timezone.now().isoformat()
        job.save(update_fields=["report"])
        outbox_send(task=RUN_IMPORT_TASK, args=[job.pk])
    return True


def import_job_discard(*, job: ImportJob) -> bool:
    """Delete a job that was never confirmed (Cancel on its preview); False if it was."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().defer("payload").filter(pk=job.pk).first()
        if current is None or current.status != ImportStatus.PENDING:
            return False
        if current.report.get("confirmed"):
            return False
        current.delete()
    return True


def import_job_waiting_for_broker(job: ImportJob, *, task: str = RUN_IMPORT_TASK) -> bool:
    """Whether this job's import (or preview) is still waiting in the outbox for the broker."""
    return outbox_waiting_since(task=task, args=[job.pk]) is not None


def progress_of(job: ImportJob) -> int:
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job.total_rows
    # The import runs in one transaction, so the worker reports rows through the cache;
    # processed_rows only moves when a job is saved outside it.
    cached = int(cache.get(PROGRESS_KEY.format(pk=job.pk)) or 0)
    return min(max(cached, job.processed_rows), job.total_rows)


# Failures the person can retry with the same file (kept on the job until the clean-up).
CANCELLED = gettext_noop("You cancelled the import; nothing was imported.")
UNEXPECTED = gettext_noop(
    "The import stopped on an unexpected error; nothing was imported. "
    "The error is in the server log."
)
# A worker killed mid-import (out of memory, say) puts the job back on the queue; past
# this many starts it is failed instead of killing worker after worker.
MAX_ATTEMPTS = 3
# The worker asks whether the job was cancelled every this many rows.
CANCEL_CHECK_ROWS = 500
UNFINISHED = (ImportStatus.PENDING, ImportStatus.RUNNING)


class ImportCancelled(Exception):
    """The person cancelled the job while the worker was importing it."""


def _finish(
    job: ImportJob,
    *,
    status: str,
    report: ImportReport | None,
    error: str = "",
    retryable: bool = False,
) -> bool:
    """Record the outcome, unless the job was finished (or cancelled) meanwhile.

    A retryable failure keeps the upload, so "Try again" needs no new upload; the
    clean-up task drops it a day later.
    """
    fields: dict[str, object] = {"status": status, "finished_at": timezone.now(), "error": error}
    if not retryable:
        fields["payload"] = b""
    if report is not None:
        fields |= {
            "total_rows": report.total_rows,
            "processed_rows": report.total_rows,
            "created_count": len(report.created),
            "updated_count": len(report.updated),
            "job_change_count": len(report.job_changes),
            "skipped_count": len(report.skipped),
            "report": {
                **report.as_dict(limit=REPORT_LIMIT),
                "confirmed": True,
                "attempts": job.report.get("attempts", 1),
            },
        }
    else:
        fields["report"] = {**job.report, "confirmed": True, "retryable": retryable}
    updated = ImportJob.objects.filter(pk=job.pk, status__in=UNFINISHED).update(**fields)
    cache.delete(PROGRESS_KEY.format(pk=job.pk))
    return bool(updated)


def _start(job: ImportJob) -> bool:
    """Mark the job running (again); False if it was cancelled or finished meanwhile."""
    attempts = int(job.report.get("attempts", 0)) + 1
    job.report = {**job.report, "attempts": attempts}
    if attempts > MAX_ATTEMPTS:
        _finish(
            job,
            status=ImportStatus.FAILED,
            report=None,
            error=gettext(
                "The import was started %(times)s times and never finished: the "
                "worker stopped each time (it may need more memory) or the database was "
                "unavailable. Nothing was imported; try again, or import a smaller file."
            )
            % {"times": MAX_ATTEMPTS},
            retryable=True,
        )
        return False
    # started_at is this attempt's: the sweep measures a run, not the job's age.
    return bool(
        ImportJob.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
            status=ImportStatus.RUNNING, started_at=timezone.now(), report=job.report
        )
    )


def import_job_process(job_id: int) -> str:
    """Run a confirmed job. Idempotent: a finished or cancelled job is left alone.

    The import and the job's "done" are committed together, with the job's row
    locked: a cancel either lands first (and the import rolls back) or finds the
    job finished. Run again after a worker died, it starts from scratch, because
    nothing of the dead run was committed.
    """
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status not in UNFINISHED or not _start(job):
        return "skipped"
    key = PROGRESS_KEY.format(pk=job.pk)
    checked = [0]

    def progress(done: int, total: int) -> None:
        cache.set(key, done, timeout=60 * 60)
        if done - checked[0] >= CANCEL_CHECK_ROWS:
            checked[0] = done
            if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).exists():
                raise ImportCancelled

    try:
        with transaction.atomic():
            report = run_import(**upload_of(job), progress=progress)
            running = ImportJob.objects.select_for_update().filter(
                pk=job.pk, status=ImportStatus.RUNNING
            )
            if not running.exists():
                raise ImportCancelled
            _finish(job, status=ImportStatus.DONE, report=report)
    except ImportCancelled:
        cache.delete(key)
        return "cancelled"
    except ImportFileError as exc:
        _finish(job, status=ImportStatus.FAILED, report=None, error=exc.message)
        return "failed"
    except OperationalError:
        raise  # the task retries; the import rolled back, so it starts clean
    except Exception:
        # A bug, not bad input: the transaction rolled back, so say nothing was imported.
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job, status=ImportStatus.FAILED, report=None, error=gettext(UNEXPECTED), retryable=True
        )
        return "failed"
    if report.job_changes:
        from reminders.tasks import queue_user_scan

        queue_user_scan(job.owner)  # job changes become dashboard occasions now, not tomorrow
    return "done"


def import_job_cancel(*, job: ImportJob) -> bool:
    """Stop a confirmed job that has not finished; False if it finished meanwhile.

    Waiting for the worker or stuck, it is failed at once and the worker will skip
    it; running, the worker notices within CANCEL_CHECK_ROWS rows and rolls back.
    """
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .defer("payload")
            .filter(pk=job.pk, status__in=UNFINISHED)
            .first()
        )
        if current is None or not current.report.get("confirmed"):
            return False
        return _finish(
            current,
            status=ImportStatus.FAILED,
            report=None,
            error=gettext(CANCELLED),
            retryable=True,
        )


def import_job_retry(*, job: ImportJob) -> bool:
    """Queue a failed job again with the file it kept; False if it cannot be retried."""
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ImportStatus.FAILED)
            .first()
        )
        if current is None or not current.report.get("retryable") or not current.payload:
            return False
        current.status = ImportStatus.PENDING
        current.error = ""
        current.started_at = current.finished_at = None
        current.processed_rows = 0
        current.report = {
            "preview": current.report.get("preview", {}),
            "confirmed": True,
            "retried": int(current.report.get("retried", 0)) + 1,
        }
        current.save()
        outbox_send(task=RUN_IMPORT_TASK, args=[current.pk])
    return True


def stuck_after() -> timedelta:
    """How long a run may last before it is certainly dead: the hard time limit, and a margin."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STUCK_MARGIN_SECONDS)


STUCK_MARGIN_SECONDS = 5 * 60


def import_jobs_fail_stuck(*, now: datetime | None = None) -> int:
    """Fail jobs running for longer than the worker would let them; return how many.

    The worker kills a task at CELERY_TASK_TIME_LIMIT, so a job still "running" well
    past it lost its worker (killed, or the machine stopped) and would otherwise
    show "Importing… 0 of N" for ever. Its transaction never committed.
    """
    now = now or timezone.now()
    minutes = settings.CELERY_TASK_TIME_LIMIT // 60
    error = gettext(
        "The import did not finish within %(minutes)s minutes: the worker stopped or ran out "
        "of time. Nothing was imported; try again."
    ) % {"minutes": minutes}
    failed = 0
    stuck = ImportJob.objects.defer("payload").filter(
        status=ImportStatus.RUNNING, started_at__lt=now - stuck_after()
    )
    for job in stuck:
        if _finish(job, status=ImportStatus.FAILED, report=None, error=error, retryable=True):
            logger.warning("Import job %s was running since %s: failed it", job.pk, job.started_at)
            failed += 1
    return failed


def import_now(
    *, owner: User, source: str, data: bytes, trust_level: str | None = None
) -> ImportReport:
    """Synchronous import for the command line, with the same checks and rules."""
    report = run_import(owner=owner, source=source, data=data, trust_level=trust_level)
    if report.job_changes:
        from reminders.tasks import queue_user_scan

        queue_user_scan(owner)
    return report
