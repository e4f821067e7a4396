"""Exports: the JSON backup (format v1), vCard 3.0/4.0 and CSV, all streamed.

Every exporter is a generator of text chunks. Rows are read as plain values in keyset
pages of CHUNK contacts, with their related rows fetched per page by id range, so
memory stays flat however many contacts there are (see bench/scenarios/transfer.py).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    Interaction,
    NotDuplicate,
    Position,
    TrustLevel,
)
from contacts.relation_backup import introduction_documents, promise_documents
from crm.backup import note_templates_document, settings_document
from reminders.models import CustomDate, NoteDraft, Reminder

FORMAT_NAME = "rapport"
FORMAT_VERSION = 1
# Additions a version-1 reader can ignore: 1 = the account's settings, note templates and
# the pairs marked as different people; 2 = issue 21's additions (docs/export-format.md).
FORMAT_MINOR_VERSION = 2
CHUNK = 2000
# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


CONTACT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "linkedin_url",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "trust_level",
    "how_we_met",
    "met_on",
    "met_at",
    "introduced_by_id",
    "keep_in_touch_days",
    "notes",
    "connected_on",
    "last_interaction_on",
    "updated_at",
)


def birthday_text(year: int | None, month: int | None, day: int | None) -> str | None:
    if not month or not day:
        return None
    if year:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


def _grouped(queryset: QuerySet[Any], *fields: str) -> dict[int, list[tuple[Any, ...]]]:
    """Rows of a child table by contact id, in id order (one query)."""
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for contact_id, *values in queryset.order_by("contact_id", "pk").values_list(
        "contact_id", *fields
    ):
        grouped.setdefault(contact_id, []).append(tuple(values))
    return grouped


def contact_documents(owner: User | int, *, pk: int | None = None) -> Iterator[dict[str, Any]]:
    """Contacts as format-v1 dicts, a page at a time, from plain values (no model instances).

    Each document also carries `_last_interaction_on` and `_updated_at` for the CSV
    and vCard exports; the JSON export leaves those out.
    """
    last = 0
    contacts = Contact.objects.filter(owner=owner)
    if pk is not None:
        contacts = contacts.filter(pk=pk)
    rows = contacts.order_by("pk").values(*CONTACT_FIELDS)
    while True:
        page = list(rows.filter(pk__gt=last)[:CHUNK])
        if not page:
            return
        # Child rows by id range alone (no long IN lists, and no join to contacts to
        # filter by owner: PostgreSQL answered that with a scan of every contact per
        # page). Another owner's rows in the range are fetched but never looked up:
        # documents below read only this page's own ids.
        span: dict[str, Any] = {
            "contact_id__gte": page[0]["id"],
            "contact_id__lte": page[-1]["id"],
        }
        if pk is not None:
            span = {"contact_id": pk}
        last = page[-1]["id"]
        emails = _grouped(ContactEmail.objects.filter(**span), "email", "label")
        phones = _grouped(ContactPhone.objects.filter(**span), "number", "label")
        tags = _grouped(Contact.tags.through.objects.filter(**span), "tag__name")
        positions = _grouped(
            Position.objects.filter(**span),
            "pk",
            "company",
            "title",
            "start_date",
            "end_date",
            "source",
            "move",
            "detected_on",
        )
        dates = _grouped(CustomDate.objects.filter(**span), "pk", "label", "date", "yearly")
        for row in page:
            pk = row["id"]
            yield _document(
                row,
                emails=emails.get(pk, []),
                phones=phones.get(pk, []),
                tags=tags.get(pk, []),
                positions=positions.get(pk, []),
                dates=dates.get(pk, []),
            )


def _document(
    row: dict[str, Any],
    *,
    emails: list[tuple[Any, ...]],
    phones: list[tuple[Any, ...]],
    tags: list[tuple[Any, ...]],
    positions: list[tuple[Any, ...]],
    dates: list[tuple[Any, ...]],
) -> dict[str, Any]:
    """One contact's format-v1 dict from its row and its child rows."""
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "emails": [{"email": e, "label": lab} for e, lab in emails],
        "phones": [{"number": n, "label": lab} for n, lab in phones],
        "linkedin_url": row["linkedin_url"],
        "birthday": birthday_text(row["birthday_year"], row["birthday_month"], row["birthday_day"]),
        "trust_level": row["trust_level"] or None,
        "how_we_met": row["how_we_met"],
        "met_on": _iso(row["met_on"]),
        "met_at": row["met_at"],
        "introduced_by": row["introduced_by_id"],
        "keep_in_touch_days": row["keep_in_touch_days"],
        "tags": sorted(name for (name,) in tags),
        "notes": row["notes"],
        "connected_on": _iso(row["connected_on"]),
        "positions": [
            {
                "id": p[0],
                "company": p[1],
                "title": p[2],
                "start_date": _iso(p[3]),
                "end_date": _iso(p[4]),
                "source": p[5],
                "move": p[6],
                "detected_on": _iso(p[7]),
            }
            for p in sorted(positions, key=lambda p: (p[3] is not None, p[3] or 0, p[0]))
        ],
        "custom_dates": [
            {"id": d[0], "label": d[1], "date": _iso(d[2]), "yearly": d[3]} for d in dates
        ],
        "_last_interaction_on": _iso(row["last_interaction_on"]),
        "_updated_at": row["updated_at"],
    }


def iter_documents(owner: User) -> Iterator[dict[str, Any]]:
    return contact_documents(owner)


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
                "occurred_on": _iso(row["occurred_on"]),
                "occurred_at": row["occurred_at"].isoformat() if row["occurred_at"] else None,
                "summary": row["summary"],
                "notes": row["notes"],
                "initiated_by": row["initiated_by"],
                "contacts": sorted(people.get(row["id"], [])),
            }
        last = rows[-1]["id"]


def _value_pages(queryset: QuerySet[Any], fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Rows as plain values in keyset pages: no model instances, memory stays flat."""
    rows = queryset.order_by("pk").values(*fields)
    last = 0
    while True:
        page = list(rows.filter(pk__gt=last)[: CHUNK * 2])
        if not page:
            return
        yield from page
        last = page[-1]["id"]


def _reminder_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id",
        "contact_id",
        "kind",
        "occasion_key",
        "due_on",
        "status",
        "snoozed_until",
        "years",
        "position_id",
        "custom_date_id",
        "completed_at",
    )
    for r in _value_pages(Reminder.objects.filter(owner=owner), fields):
        yield {
            "id": r["id"],
            "contact": r["contact_id"],
            "kind": r["kind"],
            "occasion_key": r["occasion_key"],
            "due_on": _iso(r["due_on"]),
            "status": r["status"],
            "snoozed_until": _iso(r["snoozed_until"]),
            "years": r["years"],
            "position": r["position_id"],
            "custom_date": r["custom_date_id"],
            "completed_at": _iso(r["completed_at"]),
        }


def _note_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "contact_id", "reminder_id", "subject", "body", "sent_at", "interaction_id")
    for n in _value_pages(NoteDraft.objects.filter(owner=owner), fields):
        yield {
            "id": n["id"],
            "contact": n["contact_id"],
            "reminder": n["reminder_id"],
            "subject": n["subject"],
            "body": n["body"],
            "sent_at": _iso(n["sent_at"]),
            "interaction": n["interaction_id"],
        }


def _json_list(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("\n    " if first else ",\n    ") + _encode(item)
        first = False
    yield "\n  ]" if not first else "]"


def export_json(owner: User) -> Iterator[str]:
    """The backup document, one contact or row per line, in pieces."""
    yield (
        "{\n"
        f'  "format": "{FORMAT_NAME}",\n'
        f'  "version": {FORMAT_VERSION},\n'
        f'  "minor_version": {FORMAT_MINOR_VERSION},\n'
        f'  "exported_at": "{timezone.now().isoformat()}",\n'
        '  "contacts": ['
    )
    yield from _json_list(_public(document) for document in iter_documents(owner))
    yield ',\n  "interactions": ['
    yield from _json_list(_interaction_documents(owner))
    yield ',\n  "reminders": ['
    yield from _json_list(_reminder_documents(owner))
    yield ',\n  "notes": ['
    yield from _json_list(_note_documents(owner))
    yield ',\n  "settings": ' + json.dumps(settings_document(owner), ensure_ascii=False)
    yield ',\n  "note_templates": ' + json.dumps(note_templates_document(owner), ensure_ascii=False)
    yield ',\n  "not_duplicates": ' + json.dumps(_not_duplicate_pairs(owner))
    yield ',\n  "promises": ['
    yield from _json_list(promise_documents(owner))
    yield ',\n  "introductions": ['
    yield from _json_list(introduction_documents(owner))
    yield "\n}\n"


def _not_duplicate_pairs(owner: User) -> list[list[int]]:
    """Pairs of contacts the owner marked as different people (format 1.1)."""
    marks = NotDuplicate.objects.filter(owner=owner).order_by("first_id", "second_id")
    return [list(pair) for pair in marks.values_list("first_id", "second_id")]


# --- vCard -----------------------------------------------------------------------


def _escape(value: str) -> str:
    """A vCard TEXT value: a line break of any kind (a lone CR too, which readers also
    take for the end of a line) becomes the two characters \\n, never a new property."""
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _type_param(label: str, version: str, default: str) -> str:
    kind = (label or default).lower()
    if not kind.isalnum():
        return ""
    return f";TYPE={kind}" if version == "4.0" else f";type={kind.upper()}"


def _current_job(document: dict[str, Any]) -> dict[str, Any] | None:
    return next((p for p in reversed(document["positions"]) if not p["end_date"]), None)


def document_vcard(document: dict[str, Any], version: str = "3.0") -> str:
    """One card Apple Contacts and Google Contacts both read."""
    first, last = document["first_name"], document["last_name"]
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"N:{_escape(last)};{_escape(first)};;;",
        f"FN:{_escape(' '.join(part for part in (first, last) if part))}",
    ]
    current = _current_job(document)
    if current and current["company"]:
        lines.append(f"ORG:{_escape(current['company'])}")
    if current and current["title"]:
        lines.append(f"TITLE:{_escape(current['title'])}")
    for email in document["emails"]:
        param = _type_param(email["label"], version, "internet")
        lines.append(f"EMAIL{param}:{_escape(email['email'])}")
    for phone in document["phones"]:
        param = _type_param(phone["label"], version, "voice")
        lines.append(f"TEL{param}:{_escape(phone['number'])}")
    if document["linkedin_url"]:
        # A URI is not escaped like text, but must not break the line either.
        lines.append(f"item1.URL:{''.join(document['linkedin_url'].split())}")
        lines.append("item1.X-ABLabel:LinkedIn")
    birthday = document["birthday"]
    if birthday and birthday.startswith("--"):
        month, day = birthday[2:4], birthday[5:7]
        if version == "4.0":
            lines.append(f"BDAY:--{month}{day}")
        else:
            # Apple's convention for a birthday without a year; Google reads it too.
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month}-{day}")
    elif birthday:
        lines.append(f"BDAY:{birthday}")
    if document["tags"]:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in document["tags"]))
    if document["notes"]:
        lines.append(f"NOTE:{_escape(document['notes'])}")
    if document.get("_updated_at"):
        lines.append(f"REV:{document['_updated_at'].strftime('%Y%m%dT%H%M%SZ')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def contact_vcard(contact: Contact, version: str = "3.0") -> str:
    document = next(contact_documents(contact.owner_id, pk=contact.pk))
    return document_vcard(document, version)


def export_vcards(owner: User, version: str = "3.0") -> Iterator[str]:
    for document in iter_documents(owner):
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
    current = _current_job(document) or {}
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
