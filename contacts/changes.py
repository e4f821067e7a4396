"""Telling whoever keeps a copy of contacts (phone sync, API clients) that some changed.

reindex_contacts() announces every change of what search reads (names, emails, phones,
tags, jobs, notes); writes that move other shown fields without a save (a restored trust
level, a new photo) announce too. Contact.save() moves updated_at; an announcement moves
it too, so a change of a contact's emails, phones, tags or jobs makes the contact itself
"updated" (the API's `updated_since`, phone sync's look at recent saves), and so do
interactions (contacts.relationships.refresh_last_interaction).
"""

from collections.abc import Iterable

from django.dispatch import Signal
from django.utils import timezone

# Sent with `ids`: the primary keys of the changed contacts.
contacts_changed = Signal()


def announce_changed(ids: Iterable[int], *, touch: bool = True) -> None:
    """`touch=False`: leave updated_at alone (an undo that puts back the earlier one)."""
    from contacts.models import Contact

    ids = list(ids)
    if not ids:
        return
    if touch:
        now = timezone.now()
        for start in range(0, len(ids), 1000):
            Contact.objects.filter(pk__in=ids[start : start + 1000]).update(updated_at=now)
    contacts_changed.send(sender=None, ids=ids)
