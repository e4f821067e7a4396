"""Ownership cases for the dashboard, notes and calendar feed URLs."""

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.factories import ContactFactory, NoteDraftFactory, ReminderFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _reminder(victim: User) -> tuple[dict[str, Any], Snapshot]:
    reminder = ReminderFactory(contact=ContactFactory(owner=victim))
    return {"pk": reminder.pk}, row_snapshot(reminder)


def _draft(victim: User) -> tuple[dict[str, Any], Snapshot]:
    draft = NoteDraftFactory(contact=ContactFactory(owner=victim))
    return {"pk": draft.pk}, row_snapshot(draft)


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
