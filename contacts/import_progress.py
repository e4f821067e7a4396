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
from django.utils.translation import gettext, ngettext

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
        values = {
            "created": job.created_count,
            "updated": job.updated_count,
            "moves": job.job_change_count,
            "skipped": job.skipped_count,
        }
        created = ngettext("%(created)s new contact", "%(created)s new contacts", job.created_count)
        moves = ngettext(
            "%(moves)s job change or promotion",
            "%(moves)s job changes or promotions",
            job.job_change_count,
        )
        summary = gettext("%(created)s, %(updated)s updated, %(moves)s, %(skipped)s skipped") % {
            **values,
            "created": created % values,
            "moves": moves % values,
        }
        return Announcement("done", gettext("Import finished: %(summary)s.") % {"summary": summary})
    if job.status == ImportStatus.FAILED:
        error = job.error.strip() or gettext("No reason was recorded.")
        if "nothing was imported" not in error.lower():
            error += " " + gettext("Nothing was imported.")
        return Announcement("failed", gettext("The import failed. %(error)s") % {"error": error})
    if job.status != ImportStatus.RUNNING:
        if worker_is_late(job, now):
            return Announcement(
                "stalled",
                gettext(
                    "The background worker has not started the import after a minute. "
                    "It may not be running: the status page shows when it last answered."
                ),
            )
        return Announcement(
            "waiting", gettext("Waiting for the background worker to start the import.")
        )
    done = min(max(done, 0), total)
    step = done * 100 // total // STEP_PERCENT * STEP_PERCENT if total else 0
    values = {"done": done, "total": total, "step": step}
    if step == 0:
        text = ngettext(
            "Import started: %(done)s of %(total)s row.",
            "Import started: %(done)s of %(total)s rows.",
            total,
        )
    elif step == 100:
        text = ngettext(
            "All %(total)s row read; saving them.", "All %(total)s rows read; saving them.", total
        )
    else:
        text = ngettext(
            "Importing: %(step)s%% (%(done)s of %(total)s row).",
            "Importing: %(step)s%% (%(done)s of %(total)s rows).",
            total,
        )
    text = text % values
    return Announcement(f"running-{step}", text)
