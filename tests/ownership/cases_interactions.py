"""Interactions, timeline and keeping in touch: another user's ids are 404 and unchanged."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from contacts.relationships import interaction_create
from reminders.models import Reminder
from tests.factories import ContactFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _interaction(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, met_on=date(2020, 1, 1))
    interaction = interaction_create(
        owner=victim,
        kind="call",
        occurred_on=date(2024, 5, 1),
        summary="Private call",
        contacts=[contact],
    )
    interaction_row, contact_row = row_snapshot(interaction), row_snapshot(contact)
    return {"pk": interaction.pk}, lambda: (interaction_row(), contact_row())


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, met_on=date(2020, 1, 1))
    contact_row = row_snapshot(contact)
    return {"pk": contact.pk}, lambda: (
        contact_row(),
        contact.interactions.count(),
        list(Reminder.objects.filter(contact=contact).values()),
    )


CASES = {
    "contacts:interaction_detail": OwnedUrl(_interaction, methods=("get",)),
    "contacts:interaction_edit": OwnedUrl(_interaction),
    "contacts:interaction_delete": OwnedUrl(_interaction),
    "contacts:contact_interaction_new": OwnedUrl(_contact),
    "contacts:timeline": OwnedUrl(_contact, methods=("get",)),
    "contacts:keep_in_touch_snooze": OwnedUrl(_contact, methods=("post",)),
}
