"""Exports: the JSON backup (format v1), vCard 3.0/4.0 and CSV, all streamed.

Every exporter is a generator of text chunks. Contacts come as plain dicts from
contacts.export_documents, a page at a time, and the other rows in keyset pages, so
memory stays flat however many contacts there are (see bench/scenarios/transfer.py).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from carddav.backup import sync_card_documents, sync_settings_document
from contacts.export_documents import (
    CHUNK,
    backup_rows,
    contact_documents,
    current_job,
    iso,
    iter_documents,
)
from contacts.models import Contact, Interaction, NotDuplicate, TrustLevel
from contacts.relation_backup import (
    introduction_documents,
    promise_documents,
    trust_change_documents,
)
from contacts.vcard_writer import fold, vcard_lines
from crm.backup import note_templates_document, settings_document
from reminders.models import NoteDraft, Reminder

FORMAT_NAME = "rapport"
FORMAT_VERSION = 1
# Additions a version-1 reader can ignore: 1 = the account's settings, note templates and
# the pairs marked as different people; 2 = issue 21's additions; 3 = contact photos;
# 4 = trust-level history; 5 = phone sync's cards and settings; 6 = whether each trust
# change was a promotion (docs/export-format.md).
FORMAT_MINOR_VERSION = 6

# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _public(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if not key.startswith("_")}


def _interaction_documents(owner: User) -> Iterator[dict[str, Any]]:
    through = Interaction.contacts.through
    fields = ("id", "kind", "occurred_on", "occurred_at", "summary", "notes", "initiated_by")
    queryset = Interaction.objects.filter(owner=owner).order_by("pk").values(*fields)
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[: CHUNK * 2])
        if not rows:
            return
        # Links by id range alone, as for contacts above: joining interactions to filter
        # by owner made PostgreSQL scan every interaction for each page (12 s of the 30,000
        # contact export). Links of another owner's interactions in the range are dropped.
        people: dict[int, list[int]] = {row["id"]: [] for row in rows}
        links = through.objects.filter(
            interaction_id__gte=rows[0]["id"], interaction_id__lte=rows[-1]["id"]
        )
        for interaction_id, contact_id in links.values_list("interaction_id", "contact_id"):
            if interaction_id in people:
                people[interaction_id].append(contact_id)
        for row in rows:
            yield {
                "id": row["id"],
                "kind": row["kind"],
                "occurred_on": iso(row["occurred_on"]),
                "occurred_at": row["occurred_at"].isoformat() if row["occurred_at"] else None,
                "summary": row["summary"],
                "notes": row["notes"],
                "initiated_by": row["initiated_by"],
                "contacts": sorted(people.get(row["id"], [])),
            }
        last = rows[-1]["id"]


def _reminder_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id",
        "contact",
        "kind",
        "occasion_key",
        "due_on",
        "status",
        "snoozed_until",
        "years",
        "position",
        "custom_date",
        "completed_at",
    )
    return backup_rows(Reminder.objects.filter(owner=owner), fields)


def _note_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "contact", "reminder", "subject", "body", "sent_at", "interaction")
    return backup_rows(NoteDraft.objects.filter(owner=owner), fields)


def _json_list(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("\n    " if first else ",\n    ") + _encode(item)
        first = False
    yield "\n  ]" if not first else "]"


def _json_section(key: str, items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The next key of the document and its list, one item per line."""
    yield f',\n  "{key}": ['
    yield from _json_list(items)


def _json_value(key: str, value: Any) -> str:
    return f',\n  "{key}": ' + json.dumps(value, ensure_ascii=False)


def export_json(owner: User) -> Iterator[str]:
    """The backup document, one contact or row per line, in pieces."""
    yield (
        "{\n"
        f'  "format": "{FORMAT_NAME}",\n'
        f'  "version": {FORMAT_VERSION},\n'
        f'  "minor_version": {FORMAT_MINOR_VERSION},\n'
        f'  "exported_at": "{timezone.now().isoformat()}"'
    )
    yield from _json_section("contacts", (_public(d) for d in iter_documents(owner, photos=True)))
    yield from _json_section("interactions", _interaction_documents(owner))
    yield from _json_section("reminders", _reminder_documents(owner))
    yield from _json_section("notes", _note_documents(owner))
    yield _json_value("settings", settings_document(owner))
    yield _json_value("note_templates", note_templates_document(owner))
    yield _json_value("not_duplicates", _not_duplicate_pairs(owner))
    yield from _json_section("promises", promise_documents(owner))
    yield from _json_section("introductions", introduction_documents(owner))
    yield from _json_section("trust_changes", trust_change_documents(owner))
    sync = json.dumps(sync_settings_document(owner), ensure_ascii=False)
    yield ',\n  "phone_sync": {"settings": ' + sync + ', "cards": ['
    yield from _json_list(sync_card_documents(owner))
    yield "}"
    yield "\n}\n"


def _not_duplicate_pairs(owner: User) -> list[list[int]]:
    """Pairs of contacts the owner marked as different people (format 1.1)."""
    marks = NotDuplicate.objects.filter(owner=owner).order_by("first_id", "second_id")
    return [list(pair) for pair in marks.values_list("first_id", "second_id")]


# --- vCard -----------------------------------------------------------------------


def document_vcard(document: dict[str, Any], version: str = "3.0") -> str:
    """One card Apple Contacts and Google Contacts both read."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    lines += [line for _, line in vcard_lines(document, version)]
    if document.get("_updated_at"):
        lines.append(f"REV:{document['_updated_at'].strftime('%Y%m%dT%H%M%SZ')}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def contact_vcard(contact: Contact, version: str = "3.0") -> str:
    document = next(contact_documents(contact.owner_id, pk=contact.pk, photos=True))
    return document_vcard(document, version)


def export_vcards(owner: User, version: str = "3.0") -> Iterator[str]:
    for document in iter_documents(owner, photos=True):
        yield document_vcard(document, version)


# --- CSV -------------------------------------------------------------------------

CSV_COLUMNS = [
    "First name",
    "Last name",
    "Emails",
    "Phones",
    "Company",
    "Title",
    "LinkedIn URL",
    "Trust level",
    "Birthday",
    "Tags",
    "Connected on",
    "Met on",
    "How we met",
    "Last interaction",
    "Notes",
]


def csv_safe(value: Any) -> str:
    """Neutralise cells a spreadsheet would run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def _csv_row(document: dict[str, Any]) -> list[str]:
    current = current_job(document) or {}
    cells = [
        document["first_name"],
        document["last_name"],
        "; ".join(e["email"] for e in document["emails"]),
        "; ".join(p["number"] for p in document["phones"]),
        current.get("company", ""),
        current.get("title", ""),
        document["linkedin_url"],
        TrustLevel.describe(document["trust_level"]),
        document["birthday"] or "",
        ", ".join(document["tags"]),
        document["connected_on"] or "",
        document["met_on"] or "",
        document["how_we_met"],
        document["_last_interaction_on"] or "",
        document["notes"],
    ]
    return [csv_safe(cell) for cell in cells]


def export_csv(owner: User) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so Excel reads the file as UTF-8
    writer.writerow(CSV_COLUMNS)
    for document in iter_documents(owner):
        writer.writerow(_csv_row(document))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


EXPORTS = {
    "json": ("application/json", "json", export_json),
    "csv": ("text/csv; charset=utf-8", "csv", export_csv),
    "vcard": ("text/vcard; charset=utf-8", "vcf", export_vcards),
}
