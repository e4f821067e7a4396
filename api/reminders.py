"""This week's reminders and what to do with one: `/api/v1/reminders`.

The list is the dashboard's own selection (reminders.dashboard.due_reminders): open
reminders due in the coming week plus anything overdue, snoozed ones once their day
comes. Actions call reminders.services like the dashboard's buttons.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api.auth import caller, preferences, writer
from api.contacts import ERRORS
from api.errors import FieldErrors
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset, page_of
from api.read_cache import cached_read
from api.schemas import ReminderOut, ReminderPage, reminder_out
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.context_lines import attach_context_lines, with_context
from reminders.dashboard import due_reminders, week_holding
from reminders.models import Reminder

router = Router(tags=["Reminders"])

TrustFilter = Literal["", "all", "acquaintance", "know_well", "close"]


class WeekQuery(Schema):
    trust: TrustFilter = Field(
        "",
        description="'' (default): everyone but people you only follow; 'all'; "
        "'acquaintance', 'know_well' or 'close': that close and closer",
    )
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


# What reminder_out and the context lines (reminders/context_lines.py) read of a listed
# reminder: only these are loaded (a contact's notes and story are long, and every field
# of the joined rows is a little more work per row). A field missing here would cost a
# query per row: tests/api/test_api_reminders.py lists every kind in a flat query count.
ORDER = ["due_on", "id"]
LISTED_FIELDS = (
    "id", "kind", "status", "due_on", "snoozed_until", "years",
    "contact_id", "position_id", "custom_date_id",
    "contact__first_name", "contact__last_name", "contact__last_interaction_id",
    "contact__birthday_year", "contact__met_at", "contact__met_on",
    "position__company", "position__title", "position__start_date", "position__detected_on",
    "custom_date__label",
)  # fmt: skip


def this_week_page(owner: User, *, trust: str, cursor: str | None, limit: int) -> dict:
    """This week's reminders as the API and the assistant list them."""
    settings = preferences(owner)
    today = settings.today()
    week = week_holding(None, today=today, week_start=settings.first_weekday)
    # One query: the page is picked on the narrow reminder rows (a subquery: thousands
    # may be due on a large account), and only its rows are joined to their contacts,
    # positions and dates.
    picked = keyset(due_reminders(owner, week, trust), order=ORDER, cursor=cursor)
    shown = with_context(Reminder.objects.filter(pk__in=Subquery(picked.values("id")[: limit + 1])))
    page = page_of(list(shown.only(*LISTED_FIELDS).order_by(*ORDER)), order=ORDER, limit=limit)
    attach_context_lines(page.items, today)
    return {
        "week": {"starts_on": week.starts_on, "ends_on": week.ends_on, "today": today},
        "items": [reminder_out(r, today) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/reminders/this-week", response={200: ReminderPage, **ERRORS}, url_name="this_week")
@cached_read
def this_week(request: HttpRequest, query: Query[WeekQuery]) -> dict:
    """Who to congratulate or get back to: due this week, or overdue, oldest first."""
    return this_week_page(
        caller(request), trust=query.trust, cursor=query.cursor, limit=query.limit
    )


def _reminder(request: HttpRequest, reminder_id: int, *, write: bool) -> Reminder:
    owner = writer(request) if write else caller(request)
    return get_owned_or_404(with_context(Reminder.objects.all()), owner, pk=reminder_id)


def _out(reminder: Reminder) -> dict:
    today = preferences(reminder.owner).today()
    attach_context_lines([reminder], today)
    return reminder_out(reminder, today)


def _changed(request: HttpRequest, reminder_id: int, change: Callable[..., Reminder]) -> dict:
    """Dismiss, complete or reopen through the service `change`; answer the reminder."""
    reminder = _reminder(request, reminder_id, write=True)
    change(reminder=reminder)
    return _out(reminder)


# What an operation on one reminder answers: the reminder as it is now, or an error.
ONE = {200: ReminderOut, **ERRORS}


@router.get("/reminders/{int:reminder_id}", response=ONE, url_name="reminder")
def get_reminder(request: HttpRequest, reminder_id: int) -> dict:
    return _out(_reminder(request, reminder_id, write=False))


class SnoozeIn(Schema):
    until: date | None = Field(None, description="The day it comes back")
    days: int | None = Field(None, ge=1, le=366, description="Or: how many days from today")


@router.post("/reminders/{int:reminder_id}/snooze", response=ONE, url_name="reminder_snooze")
def snooze(request: HttpRequest, reminder_id: int, payload: SnoozeIn) -> dict:
    """Hide it until a later day (at most a year ahead), when it comes back."""
    reminder = _reminder(request, reminder_id, write=True)
    today = preferences(reminder.owner).today()
    if (payload.until is None) == (payload.days is None):
        raise FieldErrors({"until": ["Send either `until` (a day) or `days`."]})
    until = payload.until or today + timedelta(days=payload.days or 0)
    try:
        services.reminder_snooze(reminder=reminder, until=until, today=today)
    except ValidationError as error:
        raise FieldErrors({"until" if payload.until else "days": error.messages}) from None
    return _out(reminder)


@router.post("/reminders/{int:reminder_id}/dismiss", response=ONE, url_name="reminder_dismiss")
def dismiss(request: HttpRequest, reminder_id: int) -> dict:
    """The occasion calls for nothing; it will not be raised again."""
    return _changed(request, reminder_id, services.reminder_dismiss)


@router.post("/reminders/{int:reminder_id}/done", response=ONE, url_name="reminder_done")
def done(request: HttpRequest, reminder_id: int) -> dict:
    return _changed(request, reminder_id, services.reminder_complete)


@router.post("/reminders/{int:reminder_id}/reopen", response=ONE, url_name="reminder_reopen")
def reopen(request: HttpRequest, reminder_id: int) -> dict:
    """Undo a snooze, dismissal or completion."""
    return _changed(request, reminder_id, services.reminder_reopen)
