"""Import jobs: upload → preview (dry run) → confirm → run in the worker → report.

The upload is kept in ImportJob.payload so the web process and the worker need
no shared disk. Progress is written to the cache, not the database: the import
itself runs in one transaction that other connections cannot see into until it
commits.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone

from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.importers.jsondata import summarize_document
from contacts.models import ImportJob, ImportSource, ImportStatus
from crm.outbox import outbox_send, outbox_waiting_since

logger = logging.getLogger(__name__)
# The task (contacts.tasks.run_import_job) by name: that module imports this one.
RUN_IMPORT_TASK = "contacts.tasks.run_import_job"
REPORT_LIMIT = 500  # entries kept per list on the job; the counts are always exact
# Backups larger than this are checked and counted for the preview, not rehearsed.
JSON_DRY_RUN_MAX_BYTES = 2 * 1024 * 1024
ABANDONED_AFTER = timedelta(days=1)
PROGRESS_KEY = "rapport:import:{pk}:progress"
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ImportSource.LINKEDIN: (".csv", ".zip", ".txt"),
    ImportSource.VCARD: (".vcf", ".vcard", ".txt"),
    ImportSource.JSON: (".json", ".txt"),
}


def check_upload(*, source: str, filename: str, size: int) -> None:
    """Refuse before reading: over the size limit (413) or the wrong kind of file (400)."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB "
            "(IMPORT_MAX_BYTES). For a LinkedIn export, upload just Connections.csv.",
            status=413,
        )
    if size == 0:
        raise ImportFileError("The file is empty.")
    allowed = EXTENSIONS.get(source)
    if allowed is None:
        raise ImportFileError("Choose what kind of file this is.")
    if not filename.lower().endswith(allowed):
        label = ImportSource(source).label
        raise ImportFileError(
            f"“{filename}” does not look like a {label} file; expected {', '.join(allowed)}."
        )


def import_job_create(
    *,
    owner: User,
    source: str,
    filename: str,
    data: bytes,
    trust_level: str | None,
) -> ImportJob:
    """Check and preview the upload (nothing is imported yet); raises ImportFileError."""
    check_upload(source=source, filename=filename, size=len(data))
    _forget_abandoned_previews(owner)
    if source == ImportSource.JSON and len(data) > JSON_DRY_RUN_MAX_BYTES:
        # A large backup would take longer to rehearse than a web request may last:
        # check and count it here; the worker reports exactly what it did.
        preview = summarize_document(data)
    else:
        preview = run_import(
            owner=owner, source=source, data=data, trust_level=trust_level, dry_run=True
        )
    return ImportJob.objects.create(
        owner=owner,
        source=source,
        filename=filename[:255],
        payload=data,
        trust_level=trust_level or None,
        total_rows=preview.total_rows,
        report={"preview": preview.as_dict(limit=REPORT_LIMIT)},
    )


def _forget_abandoned_previews(owner: User) -> None:
    """Previews nobody confirmed within a day hold uploads for nothing; drop them."""
    ImportJob.objects.filter(
        owner=owner,
        status=ImportStatus.PENDING,
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    ).exclude(report__has_key="confirmed").delete()


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


def import_job_waiting_for_broker(job: ImportJob) -> bool:
    """Whether this job's start is still waiting in the outbox for the broker."""
    return outbox_waiting_since(task=RUN_IMPORT_TASK, args=[job.pk]) is not None


def progress_of(job: ImportJob) -> int:
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job.total_rows
    # The import runs in one transaction, so the worker reports rows through the cache;
    # processed_rows only moves when a job is saved outside it.
    cached = int(cache.get(PROGRESS_KEY.format(pk=job.pk)) or 0)
    return min(max(cached, job.processed_rows), job.total_rows)


def _finish(job: ImportJob, *, status: str, report: ImportReport | None, error: str = "") -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.payload = b""
    job.error = error
    if report is not None:
        job.total_rows = report.total_rows
        job.processed_rows = report.total_rows
        job.created_count = len(report.created)
        job.updated_count = len(report.updated)
        job.job_change_count = len(report.job_changes)
        job.skipped_count = len(report.skipped)
        job.report = {**report.as_dict(limit=REPORT_LIMIT), "confirmed": True}
    job.save()
    cache.delete(PROGRESS_KEY.format(pk=job.pk))


def import_job_process(job_id: int) -> str:
    """Run a confirmed job. Idempotent: a finished job is left alone."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return "skipped"
    job.status = ImportStatus.RUNNING
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["status", "started_at"])
    key = PROGRESS_KEY.format(pk=job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, done, timeout=60 * 60)

    try:
        report = run_import(
            owner=job.owner,
            source=job.source,
            data=bytes(job.payload),
            trust_level=job.trust_level,
            progress=progress,
        )
    except ImportFileError as exc:
        _finish(job, status=ImportStatus.FAILED, report=None, error=exc.message)
        return "failed"
    except OperationalError:
        raise  # the task retries; the import rolled back, so it starts clean
    except Exception:
        # A bug, not bad input: the transaction rolled back, so say nothing was imported.
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job,
            status=ImportStatus.FAILED,
            report=None,
            error="The import stopped on an unexpected error; nothing was imported. "
            "The error is in the server log.",
        )
        return "failed"
    _finish(job, status=ImportStatus.DONE, report=report)
    if report.job_changes:
        from reminders.tasks import queue_user_scan

        queue_user_scan(job.owner)  # job changes become dashboard occasions now, not tomorrow
    return "done"


def import_now(
    *, owner: User, source: str, data: bytes, trust_level: str | None = None
) -> ImportReport:
    """Synchronous import for the command line, with the same checks and rules."""
    report = run_import(owner=owner, source=source, data=data, trust_level=trust_level)
    if report.job_changes:
        from reminders.tasks import queue_user_scan

        queue_user_scan(owner)
    return report
