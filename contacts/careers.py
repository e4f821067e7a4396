"""Positions and job changes."""

from datetime import date, timedelta
from typing import Protocol

from django.db import transaction

from contacts.models import CareerMove, Contact, Position, PositionSource
from contacts.normalize import normalize_name
from contacts.search import reindex_contacts
from crm.data_version import data_changed


class Job(Protocol):
    """A current job as far as the career rule needs it: a Position, or plain values."""

    @property
    def company(self) -> str: ...

    @property
    def title(self) -> str: ...


def same_company(a: str, b: str) -> bool:
    return normalize_name(a) == normalize_name(b)


def classify_move(current: Job | None, company: str, title: str) -> CareerMove:
    """The one career rule: first job, job change, promotion or unchanged."""
    if current is None:
        return CareerMove.FIRST
    if not same_company(current.company, company):
        return CareerMove.JOB_CHANGE
    if normalize_name(current.title) != normalize_name(title):
        return CareerMove.PROMOTION
    return CareerMove.UNCHANGED


def imported_move(current: Job | None, company: str, title: str) -> CareerMove | None:
    """classify_move for a file row or card, which may leave out what it does not know.

    - No company says nothing about a job change (LinkedIn leaves it empty when people
      hide it): UNCHANGED.
    - The same company without a title says nothing about a promotion (a vCard's ORG
      often comes without TITLE): UNCHANGED.
    - A title for a current job known only by its company: None. Learning what someone
      does where they already work fills in that position; it is no move to congratulate.
    """
    if not company:
        return CareerMove.UNCHANGED
    if current is not None:
        if current.company == company and current.title == title:
            return CareerMove.UNCHANGED  # most rows of a re-import: no normalising needed
        if same_company(current.company, company):
            if not title.strip():
                return CareerMove.UNCHANGED
            if not current.title.strip():
                return None
    return classify_move(current, company, title)


def began_sort_key(position: Position) -> tuple[date, int]:
    """Orders jobs by when they began (start date, else when an import noticed them)."""
    return (position.began_on or date.min, position.pk or 0)


def end_replaced_job(position: Position, *, replaced_on: date | None) -> date:
    """The end date of a job replaced by one that began on `replaced_on` (today if
    unknown): the day before, never before the replaced job itself began."""
    end = (replaced_on or date.today()) - timedelta(days=1)
    began = position.began_on
    return max(end, began) if began else end


def _locked_current(contact: Contact) -> Position | None:
    """The contact's current job, locked until the transaction ends."""
    return (
        Position.objects.select_for_update()
        .filter(contact=contact, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .first()
    )


def _end_current(contact: Contact, current: Position, *, on: date) -> date:
    """End the current job on `on`, never before it started; returns the end date."""
    end = max(on, current.start_date) if current.start_date else on
    Position.objects.filter(contact=contact, end_date__isnull=True).update(end_date=end)
    return end


@transaction.atomic
def record_job_change(
    *,
    contact: Contact,
    company: str,
    title: str,
    start_date: date | None,
    source: str = PositionSource.ENTERED,
    detected_on: date | None = None,
) -> tuple[Position | None, CareerMove]:
    """Open a new current position, ending the current one the day before it starts.

    Returns the new position (None when nothing changed) and what kind of move it was.
    The reminder engine raises job-change and promotion occasions from positions whose
    `began_on` is recent, so no reminder is written here.
    """
    current = _locked_current(contact)
    move = classify_move(current, company, title)
    if move is CareerMove.UNCHANGED:
        return None, move
    began = start_date or detected_on or date.today()
    if current is not None:
        _end_current(contact, current, on=began - timedelta(days=1))
    position = Position.objects.create(
        contact=contact,
        company=company,
        title=title,
        start_date=start_date,
        source=source,
        detected_on=detected_on,
        move=move,
    )
    reindex_contacts([contact])
    return position, move


@transaction.atomic
def current_position_end(*, contact: Contact, on: date) -> Position | None:
    """End the contact's current job on `on` (never before it started); it stays in the
    career history. Returns the ended position, None when there was no current job."""
    current = _locked_current(contact)
    if current is None:
        return None
    current.end_date = _end_current(contact, current, on=on)
    data_changed(contact.owner_id)  # an update sends no signal
    reindex_contacts([contact])
    return current


@transaction.atomic
def position_create(
    *,
    contact: Contact,
    company: str,
    title: str,
    start_date: date | None,
    end_date: date | None,
) -> Position:
    """A position entered by hand (the form has checked that at most one is current)."""
    position = Position.objects.create(
        contact=contact,
        company=company,
        title=title,
        start_date=start_date,
        end_date=end_date,
        source=PositionSource.ENTERED,
    )
    reindex_contacts([contact])
    return position


@transaction.atomic
def position_update(
    *,
    position: Position,
    company: str,
    title: str,
    start_date: date | None,
    end_date: date | None,
) -> Position:
    position.company, position.title = company, title
    position.start_date, position.end_date = start_date, end_date
    position.save(update_fields=["company", "title", "start_date", "end_date"])
    reindex_contacts([position.contact_id])
    return position


@transaction.atomic
def position_delete(*, position: Position) -> None:
    """Delete a position; its reminders (anniversaries, the job change) go with it."""
    contact_id = position.contact_id
    position.delete()
    reindex_contacts([contact_id])
