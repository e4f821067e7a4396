"""Trust-level history: each change, recorded by the services that change a level
(contact edits, triage and its undo, "I know them now"), for *recently promoted*."""

from datetime import date

from django.utils import timezone

from contacts.models import Contact, TrustLevel
from contacts.relation_models import TrustChange


def record_trust_change(
    *, contact: Contact, before: str | None, after: str | None, on: date | None = None
) -> TrustChange | None:
    """Store the change from `before` to `after`, if it is one (None: not rated yet)."""
    if (before or None) == (after or None):
        return None
    return TrustChange.objects.create(
        owner_id=contact.owner_id,
        contact=contact,
        from_level=before or None,
        to_level=after or None,
        promotion=TrustLevel.rank(after) > TrustLevel.rank(before),
        changed_on=on or timezone.localdate(),
    )


def forget_trust_change(*, contact: Contact, before: str | None, after: str | None) -> None:
    """Undo: delete the newest recorded change from `before` to `after`, if there is one."""
    newest = (
        TrustChange.objects.filter(
            contact=contact, from_level=before or None, to_level=after or None
        )
        .order_by("-id")
        .first()
    )
    if newest is not None:
        newest.delete()
