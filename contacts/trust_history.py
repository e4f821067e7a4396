"""Trust-level history: each change, recorded by the services that change a level
(contact edits, triage and its undo, "I know them now", merges, imports), for *recently
promoted*."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from contacts.importers.bulk import Row, insert_rows
from contacts.models import Contact, TrustLevel
from contacts.relation_models import TrustChange
from reminders.charts import forget_glance


def record_trust_change(
    *, contact: Contact, before: str | None, after: str | None, on: date | None = None
) -> TrustChange | None:
    """Store the change from `before` to `after`, if it is one (None: not rated yet)."""
    if (before or None) == (after or None):
        return None
    forget_glance(contact.owner_id)  # the Relationships overview's *promoted lately*
    return TrustChange.objects.create(
        owner_id=contact.owner_id,
        contact=contact,
        from_level=before or None,
        to_level=after or None,
        promotion=TrustLevel.rank(after) > TrustLevel.rank(before),
        changed_on=on or timezone.localdate(),
    )


def record_imported_levels(
    *, owner_id: int, levels: Iterable[tuple[int, str | None]], on: date
) -> int:
    """The level an import gave each new contact (contact id, level; None: none given),
    in bulk: one COPY, however many people came in. A level given at import
    is history, not a promotion: *promoted lately* keeps to people who moved closer.
    Returns how many changes were recorded."""
    rows: list[Row] = [
        {
            "owner_id": owner_id,
            "contact_id": contact_id,
            "from_level": None,
            "to_level": level,
            "promotion": False,
            "changed_on": on,
        }
        for contact_id, level in levels
        if level
    ]
    # No forget_glance() here: a preview rolls back and must leave the caches alone;
    # contacts.importers.run_import drops them once the import is saved.
    insert_rows(TrustChange, rows)  # COPY on PostgreSQL, as the import's own rows
    return len(rows)


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
        forget_glance(contact.owner_id)
