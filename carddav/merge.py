"""Three-way merge of a card written on a phone that had not seen Rapport's last change.

Pure: snapshots in, snapshot and conflicts out. A snapshot holds the synced fields:
names, job, birthday, notes, LinkedIn URL, and emails, phones (value, label) and tags.
Rapport's own snapshots (the versions it gave out) also hold a digest of the photo, so a
phone's write can tell a photo removed on the phone from one it never had.
"""

import hashlib
from typing import Any

from django.utils.translation import gettext_noop

from contacts.export_documents import birthday_text
from contacts.importers.base import PersonRecord

SINGLE = ("first_name", "last_name", "company", "title", "birthday", "notes", "linkedin_url")
LISTS = ("emails", "phones", "tags")
# Stored in English with a conflict (Card.conflicts); the pages translate them when shown.
LABELS = {
    "first_name": gettext_noop("First name"),
    "last_name": gettext_noop("Last name"),
    "company": gettext_noop("Company"),
    # Translators: a job title.
    "title": gettext_noop("Title"),
    "birthday": gettext_noop("Birthday"),
    "notes": gettext_noop("Notes"),
    "linkedin_url": gettext_noop("LinkedIn URL"),
}
LIST_LABELS = {
    "emails": gettext_noop("Emails"),
    "phones": gettext_noop("Phone numbers"),
    "tags": gettext_noop("Tags"),
}
Snapshot = dict[str, Any]


def photo_digest(photo: str | None) -> str:
    """A short digest of a photo's base64 text ("" without a photo)."""
    return hashlib.sha256(photo.encode()).hexdigest()[:16] if photo else ""


def snapshot_of_document(document: dict[str, Any]) -> Snapshot:
    current = next((p for p in reversed(document["positions"]) if not p["end_date"]), None)
    return {
        "first_name": document["first_name"],
        "last_name": document["last_name"],
        "company": current["company"] if current else "",
        "title": current["title"] if current else "",
        "birthday": document["birthday"] or "",
        "notes": document["notes"],
        "linkedin_url": document["linkedin_url"],
        "emails": [[e["email"], e["label"]] for e in document["emails"]],
        "phones": [[p["number"], p["label"]] for p in document["phones"]],
        "tags": sorted(document["tags"]),
        "photo": photo_digest(document.get("photo")),
    }


def snapshot_of_record(record: PersonRecord) -> Snapshot:
    birthday = birthday_text(*record.birthday) if record.birthday else None
    return {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "company": record.company,
        "title": record.title,
        "birthday": birthday or "",
        "notes": record.notes,
        "linkedin_url": record.linkedin_url,
        "emails": [[address, label] for address, label in record.emails],
        "phones": [[number, label] for number, label in record.phones],
        "tags": sorted(record.tags),
    }


def _merge_list(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Everything either side added stays; what one side removed (and the other did not
    change) goes. Items are compared by value; a label follows the side that changed it."""

    def keyed(items: list[Any]) -> dict[str, Any]:
        return {(item[0] if isinstance(item, list) else item): item for item in items}

    b, o, t = keyed(base), keyed(ours), keyed(theirs)
    merged: dict[str, Any] = {}
    for key in [*o, *(k for k in t if k not in o)]:
        in_base = key in b
        if key in o and key in t:
            merged[key] = t[key] if o[key] == b.get(key) else o[key]
        elif key in o and not (in_base and o[key] == b[key]):
            merged[key] = o[key]  # added or changed in Rapport: the phone had not seen it
        elif key in t and not (in_base and t[key] == b[key]):
            merged[key] = t[key]  # added or changed on the phone
    return list(merged.values())


def _both_added(name: str, base: list[Any], ours: list[Any], theirs: list[Any]) -> dict[str, str]:
    """When both sides added different values to a list, a note saying so ({} if not):
    all of them are kept, and the person sees it."""

    def values(items: list[Any]) -> list[str]:
        return [str(item[0] if isinstance(item, list) else item) for item in items]

    known = set(values(base))
    mine = [v for v in values(ours) if v not in known]
    phone = [v for v in values(theirs) if v not in known]
    if not mine or not phone or set(mine) == set(phone):
        return {}
    return {
        "name": name,
        "field": LIST_LABELS[name],
        "phone": ", ".join(phone),
        "rapport": ", ".join(mine),
        "kept": "both",
    }


def merge(
    base: Snapshot, ours: Snapshot, theirs: Snapshot
) -> tuple[Snapshot, list[dict[str, str]]]:
    """The merged snapshot and what to show: single values both sides changed differently
    (Rapport's value is kept, the phone's shown) and lists both sides added different
    values to (all kept, both shown)."""
    merged: Snapshot = {}
    conflicts: list[dict[str, str]] = []
    for name in SINGLE:
        mine, phone, was = ours[name], theirs[name], base.get(name, "")
        if phone in (was, mine):
            merged[name] = mine
        elif mine == was:
            merged[name] = phone
        else:
            merged[name] = mine
            conflicts.append(
                {"name": name, "field": LABELS[name], "phone": str(phone), "rapport": str(mine)}
            )
    for name in LISTS:
        merged[name] = _merge_list(base.get(name, []), ours[name], theirs[name])
        if note := _both_added(name, base.get(name, []), ours[name], theirs[name]):
            conflicts.append(note)
    return merged, conflicts
