"""What the import page tells screen readers, and when.

The progress bar and row count are polled every second and change quietly; a
separate live region (`role="status"`) speaks only at milestones: the worker
started, every tenth of the rows, the end with its summary or the failure. Each
milestone has a key; the page sends back the key it last announced, so the poll
answers with new words only when the key moved, and never repeats itself.
"""

from dataclasses import dataclass

from contacts.models import ImportJob, ImportStatus

STEP_PERCENT = 10


@dataclass(frozen=True)
class Announcement:
    key: str  # "waiting", "running-30", "done", "failed"
    text: str

    @property
    def phase(self) -> str:
        return phase_of(self.key)


def phase_of(key: str) -> str:
    return key.partition("-")[0]


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def import_announcement(job: ImportJob, done: int) -> Announcement:
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
        return Announcement("waiting", "Waiting for the worker to start the import.")
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
