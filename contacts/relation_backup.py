"""The JSON backup's sections for issue 21 (format 1.2): promises.

Export yields plain documents; restore checks each item as the forms would and skips
(with a reason in the report) what cannot be stored, keeping the rest. A version-1.1
reader ignores these keys; a 1.1 backup restores with none of them.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from contacts.importers.base import ImportReport
from contacts.importers.jsonvalues import Bad, date_value, ref, text
from contacts.models import Contact, Promise, PromiseBy
from contacts.relation_models import PROMISE_TEXT_MAX

BATCH = 1000


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def promise_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "contact_id", "made_by", "text", "due_on", "interaction_id", "kept_on")
    rows = Promise.objects.filter(owner=owner).order_by("pk").values(*fields, "kept_interaction_id")
    for row in rows.iterator(chunk_size=BATCH):
        yield {
            "id": row["id"],
            "contact": row["contact_id"],
            "made_by": row["made_by"],
            "text": row["text"],
            "due_on": _iso(row["due_on"]),
            "interaction": row["interaction_id"],
            "kept_on": _iso(row["kept_on"]),
            "kept_interaction": row["kept_interaction_id"],
        }


@dataclass
class Restore:
    """What the JSON import knows when it reaches these sections."""

    owner: User
    report: ImportReport
    today: date
    contacts: dict[Any, Contact]  # id in the file -> contact here
    interactions: dict[Any, int]  # id in the file -> interaction id here
    existing: set[int]  # contacts already in the account: their rows came with them

    def contact_of(self, item: dict[str, Any], key: str = "contact") -> Contact:
        contact = self.contacts.get(ref(item.get(key)))
        if contact is None:
            raise Bad(f'its "{key}" was not imported')
        return contact


def restore_promises(restore: Restore, items: Any) -> None:
    if not isinstance(items, list):
        return
    new: list[Promise] = []
    for number, item in enumerate(items, start=1):
        try:
            if not isinstance(item, dict):
                raise Bad("not an object")
            contact = restore.contact_of(item)
            if contact.pk in restore.existing:
                continue  # already here with the person
            made_by = item.get("made_by") or PromiseBy.ME
            if made_by not in PromiseBy.values:
                raise Bad(f'unknown "made_by" {str(made_by)[:20]!r}')
            what = text(item, "text", PROMISE_TEXT_MAX)
            if not what:
                raise Bad('"text" is empty')
            new.append(
                Promise(
                    owner=restore.owner,
                    contact=contact,
                    made_by=made_by,
                    text=what,
                    due_on=date_value(item, "due_on", today=restore.today),
                    kept_on=date_value(item, "kept_on", today=restore.today),
                    interaction_id=restore.interactions.get(ref(item.get("interaction"))),
                    kept_interaction_id=restore.interactions.get(ref(item.get("kept_interaction"))),
                )
            )
        except Bad as exc:
            restore.report.skip(None, f"Promise {number}: {exc}.")
    Promise.objects.bulk_create(new, batch_size=BATCH)
