"""Positions and job changes."""

from datetime import date, timedelta

from django.db import transaction

from contacts.models import CareerMove, Contact, Position, PositionSource
from contacts.normalize import normalize_name
from contacts.search import reindex_contacts


def same_company(a: str, b: str) -> bool:
    return normalize_name(a) == normalize_name(b)


def classify_move(current: Position | None, company: str, title: str) -> CareerMove:
    if current is None:
        return CareerMove.FIRST
    if not same_company(current.company, company):
        return CareerMove.JOB_CHANGE
    if normalize_name(current.title) != normalize_name(title):
        return CareerMove.PROMOTION
    return CareerMove.UNCHANGED


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
    current = (
        Position.objects.select_for_update()
        .filter(contact=contact, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .first()
    )
    move = classify_move(current, company, title)
    if move is CareerMove.UNCHANGED:
        return None, move
    began = start_date or detected_on or date.today()
    if current is not None:
        end = began - timedelta(days=1)
        if current.start_date and end < current.start_date:
            end = current.start_date
        Position.objects.filter(contact=contact, end_date__isnull=True).update(end_date=end)
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
