"""The keep-in-touch tests' situation: a close contact ten days overdue, on a frozen day."""

from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from django.contrib.auth.models import User

from contacts.models import Contact, TrustLevel
from reminders.keys import keep_in_touch_key
from reminders.models import Reminder, ReminderKind
from tests.factories import ContactFactory, log_interaction

TODAY = date(2026, 11, 20)


def on_today() -> AbstractContextManager[Any]:
    """Noon on TODAY, the clock standing still."""
    return time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False)


def overdue_contact(owner: User, **fields: object) -> Contact:
    """Close, added long ago, last talked to 40 days ago: due 10 days ago."""
    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):
        contact = ContactFactory(owner=owner, trust_level=TrustLevel.CLOSE, **fields)
    log_interaction(owner, [contact], on=TODAY - timedelta(days=40))
    contact.refresh_from_db()
    return contact


def overdue_round(contact: Contact) -> Reminder:
    """The scan's keep-in-touch reminder for the round that fell due 10 days ago."""
    return Reminder.objects.get(
        contact=contact,
        kind=ReminderKind.KEEP_IN_TOUCH,
        occasion_key=keep_in_touch_key(TODAY - timedelta(days=10)),
    )
