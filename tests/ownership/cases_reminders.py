"""URL patterns of the careers and reminder-engine area with object ids."""

from typing import Any

from django.contrib.auth.models import User

from tests.factories import ContactFactory, CustomDateFactory, PositionFactory
from tests.ownership import OwnedUrl, Snapshot, on_victims_contact, row_snapshot

_position = on_victims_contact(PositionFactory, key="position_id")
_custom_date = on_victims_contact(CustomDateFactory, key="date_id")


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    position = PositionFactory(contact=contact)
    custom = CustomDateFactory(contact=contact)
    snapshots = [row_snapshot(contact), row_snapshot(position), row_snapshot(custom)]
    return {"contact_id": contact.pk}, lambda: [s() for s in snapshots]


CASES = {
    "contacts:positions": OwnedUrl(_contact, methods=("get",)),
    "contacts:position_add": OwnedUrl(_contact),
    "contacts:job_change": OwnedUrl(_contact),
    "contacts:position_edit": OwnedUrl(_position),
    "contacts:position_delete": OwnedUrl(_position),
    "reminders:custom_dates": OwnedUrl(_contact, methods=("get",)),
    "reminders:custom_date_add": OwnedUrl(_contact),
    "reminders:custom_date_edit": OwnedUrl(_custom_date),
    "reminders:custom_date_delete": OwnedUrl(_custom_date),
}
