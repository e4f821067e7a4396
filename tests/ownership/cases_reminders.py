"""URL patterns of the careers and reminder-engine area with object ids."""

from typing import Any

from django.contrib.auth.models import User

from tests.factories import ContactFactory, CustomDateFactory, PositionFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    position = PositionFactory(contact=contact)
    custom = CustomDateFactory(contact=contact)
    snapshots = [row_snapshot(contact), row_snapshot(position), row_snapshot(custom)]
    return {"contact_id": contact.pk}, lambda: [s() for s in snapshots]


def _position(victim: User) -> tuple[dict[str, Any], Snapshot]:
    position = PositionFactory(contact=ContactFactory(owner=victim))
    return {"position_id": position.pk}, row_snapshot(position)


def _custom_date(victim: User) -> tuple[dict[str, Any], Snapshot]:
    custom = CustomDateFactory(contact=ContactFactory(owner=victim))
    return {"date_id": custom.pk}, row_snapshot(custom)


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
