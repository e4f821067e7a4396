"""Previews (the dry run of an upload) and the limits around them.

A small upload is rehearsed in the request, so a file Rapport cannot read is
answered at once (400) and nothing is kept. A larger one is saved and rehearsed
in the worker, with progress like the import itself: a 50,000-card preview no
longer holds a web process for 15 seconds. Without a worker (`make run` has one;
tests run tasks inline) the same task runs where the queue sends it.

One preview or import is in flight per person at a time; previews nobody
confirmed are capped per person (IMPORT_MAX_PREVIEWS, IMPORT_MAX_PREVIEW_BYTES:
the oldest go first) and deleted a day later by a periodic task, which also drops
the uploads kept for "Try again".
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext

from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.importers.jobs import PREVIEW_TASK, REPORT_LIMIT, check_upload, upload_of
from contacts.importers.jsondata import summarize_document
from contacts.models import ImportJob, ImportSource, ImportStatus
from crm.outbox import outbox_send

logger = logging.getLogger(__name__)

# Backups larger than this are checked and counted for the preview, not rehearsed.
JSON_DRY_RUN_MAX_BYTES = 2 * 1024 * 1024
ABANDONED_AFTER = timedelta(days=1)
PREVIEW_PROGRESS_KEY = "rapport:import:{pk}:preview-progress"


class ImportBusyError(ImportFileError):
    """Another preview or import of this person's is still in flight."""

    def __init__(self, busy: ImportJob) -> None:
        super().__init__(
            gettext(
                "Your import of “%(file)s” is still in progress. Wait for it to finish, "
                "or cancel it, before starting another."
            )
            % {"file": busy.filename},
            status=409,
        )
        self.busy = busy


def in_flight(owner: User) -> QuerySet[ImportJob]:
    """This person's previews being made and imports confirmed or running."""
    return (
        ImportJob.objects.filter(owner=owner)
        .filter(
            Q(status=ImportStatus.RUNNING)
            | Q(status=ImportStatus.PENDING, report__has_key="confirmed")
            | Q(status=ImportStatus.PENDING, report__has_key="previewing")
        )
        .defer("payload")
    )


def is_previewing(job: ImportJob) -> bool:
    return job.status == ImportStatus.PENDING and bool(job.report.get("previewing"))


def refuse_if_busy(owner: User, *, besides: ImportJob | None = None) -> None:
    """Raise ImportBusyError while another of this person's jobs is in flight."""
    busy = in_flight(owner)
    if besides is not None:
        busy = busy.exclude(pk=besides.pk)
    found = busy.first()
    if found is not None:
        raise ImportBusyError(found)


def lock_owner(owner: User) -> None:
    """Serialise this person's upload and confirm checks (held until the transaction ends)."""
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk"))


def dry_run(
    *, owner: User, source: str, data: bytes, trust_level: str | None, progress: Any = None
) -> ImportReport:
    if source == ImportSource.JSON and len(data) > JSON_DRY_RUN_MAX_BYTES:
        # A large backup would take long to rehearse: check and count it instead; the
        # import reports exactly what it did.
        return summarize_document(data)
    return run_import(
        owner=owner,
        source=source,
        data=data,
        trust_level=trust_level,
        dry_run=True,
        progress=progress,
    )


def import_job_create(
    *,
    owner: User,
    source: str,
    filename: str,
    data: bytes,
    trust_level: str | None,
) -> ImportJob:
    """Save an upload and preview it, here or in the worker; raises ImportFileError.

    Nothing is imported yet. A small file is previewed now (an unreadable one is
    refused and not kept); a larger one is previewed by the worker.
    """
    check_upload(source=source, filename=filename, size=len(data))
    refuse_if_busy(owner)  # before rehearsing; checked again under the lock below
    preview = None
    if len(data) <= settings.IMPORT_PREVIEW_INLINE_BYTES:
        preview = dry_run(owner=owner, source=source, data=data, trust_level=trust_level)
    with transaction.atomic():
        lock_owner(owner)
        refuse_if_busy(owner)
        _make_room(owner, incoming=len(data))
        job = ImportJob.objects.create(
            owner=owner,
            source=source,
            filename=filename[:255],
            payload=data,
            trust_level=trust_level or None,
            total_rows=preview.total_rows if preview else 0,
            report={"preview": preview.as_dict(limit=REPORT_LIMIT)}
            if preview
            else {"previewing": True},
        )
        if preview is None:
            outbox_send(task=PREVIEW_TASK, args=[job.pk])
    return job


def _unconfirmed(owner: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(owner=owner, status=ImportStatus.PENDING).exclude(
        report__has_key="confirmed"
    )


def _make_room(owner: User, *, incoming: int) -> None:
    """Drop this person's oldest unconfirmed previews so the new one fits the caps."""
    _unconfirmed(owner).filter(created_at__lt=timezone.now() - ABANDONED_AFTER).delete()
    kept = list(
        _unconfirmed(owner)
        .annotate(size=Length("payload"))
        .order_by("-created_at", "-pk")
        .values_list("pk", "size")
    )
    max_count = settings.IMPORT_MAX_PREVIEWS
    max_bytes = max(settings.IMPORT_MAX_PREVIEW_BYTES, settings.IMPORT_MAX_BYTES)
    total, keep = incoming, list[int]()
    for pk, size in kept:
        if len(keep) + 1 >= max_count or total + (size or 0) > max_bytes:
            break
        keep.append(pk)
        total += size or 0
    dropped = [pk for pk, _ in kept if pk not in keep]
    if dropped:
        logger.info("Dropping %s unconfirmed preview(s) of user %s", len(dropped), owner.pk)
        ImportJob.objects.filter(pk__in=dropped).delete()


@dataclass(frozen=True)
class PreviewProgress:
    done: int
    total: int


def preview_progress(job: ImportJob) -> PreviewProgress:
    cached = cache.get(PREVIEW_PROGRESS_KEY.format(pk=job.pk))
    if not cached:
        return PreviewProgress(0, 0)
    return PreviewProgress(int(cached[0]), int(cached[1]))


def import_job_preview(job_id: int) -> str:
    """The worker's preview of a saved upload. Idempotent; a cancelled job is skipped."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not is_previewing(job):
        return "skipped"
    key = PREVIEW_PROGRESS_KEY.format(pk=job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=60 * 60)

    still_previewing = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.PENDING, report__has_key="previewing"
    )
    try:
        preview = dry_run(**upload_of(job), progress=progress)
    except ImportFileError as exc:
        still_previewing.update(
            status=ImportStatus.FAILED,
            error=exc.message,
            payload=b"",
            finished_at=timezone.now(),
            report={"preview_failed": True},
        )
        cache.delete(key)
        return "failed"
    still_previewing.update(
        total_rows=preview.total_rows, report={"preview": preview.as_dict(limit=REPORT_LIMIT)}
    )
    cache.delete(key)
    return "done"


def import_jobs_forget_abandoned(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete previews nobody confirmed within a day, and drop uploads kept for retry.

    Returns (previews deleted, uploads dropped).
    """
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    deleted, _ = (
        ImportJob.objects.filter(status=ImportStatus.PENDING, created_at__lt=cutoff)
        .exclude(report__has_key="confirmed")
        .delete()
    )
    dropped = 0
    kept = (
        ImportJob.objects.filter(status=ImportStatus.FAILED, finished_at__lt=cutoff)
        .annotate(size=Length("payload"))
        .filter(size__gt=0)
        .only("pk", "report")
    )
    for job in kept:
        report = {**job.report, "retryable": False}
        dropped += ImportJob.objects.filter(pk=job.pk).update(payload=b"", report=report)
    return deleted, dropped
