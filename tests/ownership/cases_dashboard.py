"""Ownership cases for the dashboard, notes and calendar feed URLs."""

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.factories import ContactFactory, NoteDraftFactory, ReminderFactory
from tests.ownership import OwnedUrl, Snapshot, on_victims_contact, row_snapshot

_reminder = on_victims_contact(ReminderFactory)
_draft = on_victims_contact(NoteDraftFactory)


def _sent_draft(victim: User) -> tuple[dict[str, Any], Snapshot]:
    draft = NoteDraftFactory(contact=ContactFactory(owner=victim), sent_at=timezone.now())
    return {"pk": draft.pk}, row_snapshot(draft)


CASES: dict[str, OwnedUrl] = {
    "reminders:reminder_snooze": OwnedUrl(_reminder, methods=("post",)),
    "reminders:reminder_dismiss": OwnedUrl(_reminder, methods=("post",)),
    "reminders:reminder_done": OwnedUrl(_reminder, methods=("post",)),
    "reminders:reminder_reopen": OwnedUrl(_reminder, methods=("post",)),
    "reminders:note_edit": OwnedUrl(_draft),
    "reminders:note_sent": OwnedUrl(_draft, methods=("post",)),
    "reminders:note_unsend": OwnedUrl(_sent_draft, methods=("post",)),
    "reminders:note_delete": OwnedUrl(_draft, methods=("post",)),
}

PUBLIC: set[str] = {"reminders:calendar_feed"}
