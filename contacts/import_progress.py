"""What the import page tells screen readers, and when.

The progress bar and row count are polled every second and change quietly; a
separate live region (`role="status"`) speaks only at milestones: the worker
started, every tenth of the rows, the end with its summary or the failure. Each
milestone has a key; the page sends back the key it last announced, so the poll
answers with new words only when the key moved, and never repeats itself.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from contacts.models import ImportJob, ImportStatus

STEP_PERCENT = 10
# A running worker takes a job within a second or two; after this, say something is wrong.
WORKER_PATIENCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Announcement:
    key: str  # "waiting", "stalled", "running-30", "done", "failed"
    text: str

    @property
    def phase(self) -> str:
        return phase_of(self.key)


def phase_of(key: str) -> str:
    return key.partition("-")[0]


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def waiting_since(job: ImportJob) -> datetime | None:
    """When the job was handed to the worker (its confirmation), else when it was made."""
    confirmed_at = job.report.get("confirmed_at") if isinstance(job.report, dict) else None
    if isinstance(confirmed_at, str):
        try:
            return datetime.fromisoformat(confirmed_at)
        except ValueError:
            pass
    return job.created_at


def worker_is_late(job: ImportJob, now: datetime | None = None) -> bool:
    """True when a queued job has waited for the worker longer than a worker ever takes."""
    since = waiting_since(job) if job.status == ImportStatus.PENDING else None
    return since is not None and (now or timezone.now()) - since > WORKER_PATIENCE


def import_announcement(job: ImportJob, done: int, now: datetime | None = None) -> Announcement:
    """The milestone this job has reached, given `done` rows of `job.total_rows`."""
    total = job.total_rows
    if job.status == ImportStatus.DONE:
        moves = _count(job.job_change_count, "job change or promotion", "job changes or promotions")
        summary = ", ".join(
            [
                _count(job.created_count, "new contact"),
                f"{job.updated_count} updated",
                moves,
                f"{job.skipped_count} skipped",
            ]
        )
        return Announcement("done", f"Import finished: {summary}.")
    if job.status == ImportStatus.FAILED:
        error = job.error.strip() or "No reason was recorded."
        if "nothing was imported" not in error.lower():
            error += " Nothing was imported."
        return Announcement("failed", f"The import failed. {error}")
    if job.status != ImportStatus.RUNNING:
        if worker_is_late(job, now):
            return Announcement(
                "stalled",
                "The background worker has not started the import after a minute. "
                "It may not be running: the status page shows when it last answered.",
            )
        return Announcement("waiting", "Waiting for the background worker to start the import.")
    done = min(max(done, 0), total)
    step = done * 100 // total // STEP_PERCENT * STEP_PERCENT if total else 0
    rows = f"{done} of {_count(total, 'row')}"
    if step == 0:
        text = f"Import started: {rows}."
    elif step == 100:
        text = f"All {_count(total, 'row')} read; saving them."
    else:
        text = f"Importing: {step}% ({rows})."
    return Announcement(f"running-{step}", text)
