"""Telling whoever keeps a copy of contacts (phone sync) that some of them changed.

reindex_contacts() announces every change of what search reads (names, emails, phones,
tags, the current job, notes); writes that move other shown fields without a save (a
restored trust level, a new photo) announce too. Contact.save() moves updated_at, which
sync reads directly.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with `ids`: the primary keys of the changed contacts.
contacts_changed = Signal()


def announce_changed(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        contacts_changed.send(sender=None, ids=ids)
