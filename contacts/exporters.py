"""Exports: the JSON backup (format v1), vCard 3.0/4.0 and CSV, all streamed.

Every exporter is a generator of text chunks. Rows are read in keyset pages of
CHUNK contacts with their related rows prefetched per page, so memory stays flat
however many contacts there are (see bench/scenarios/transfer.py).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from contacts.models import Contact, Interaction, Position
from reminders.models import CustomDate, NoteDraft, Reminder

FORMAT_NAME = "rapport"
FORMAT_VERSION = 1
CHUNK = 1000
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _pages[M: Model](queryset: QuerySet[M], size: int = CHUNK) -> Iterator[list[M]]:
    """Keyset pagination by primary key: each page is one bounded query (+ prefetches)."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not page:
            return
        yield page
        last = page[-1].pk


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def contacts_for_export(owner: AbstractBaseUser) -> QuerySet[Contact]:
    return Contact.objects.filter(owner=owner).prefetch_related(
        "emails",
        "phones",
        "tags",
        Prefetch("positions", queryset=Position.objects.order_by("start_date", "id")),
        Prefetch("custom_dates", queryset=CustomDate.objects.order_by("date", "id")),
    )


def iter_contacts(owner: AbstractBaseUser) -> Iterator[Contact]:
    for page in _pages(contacts_for_export(owner)):
        yield from page


def birthday_text(contact: Contact) -> str | None:
    if not contact.has_birthday:
        return None
    if contact.birthday_year:
        return (
            f"{contact.birthday_year:04d}-{contact.birthday_month:02d}-{contact.birthday_day:02d}"
        )
    return f"--{contact.birthday_month:02d}-{contact.birthday_day:02d}"


def contact_document(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "emails": [{"email": e.email, "label": e.label} for e in contact.emails.all()],
        "phones": [{"number": p.number, "label": p.label} for p in contact.phones.all()],
        "linkedin_url": contact.linkedin_url,
        "birthday": birthday_text(contact),
        "trust_level": contact.trust_level or None,
        "how_we_met": contact.how_we_met,
        "met_on": _iso(contact.met_on),
        "met_at": contact.met_at,
        "introduced_by": contact.introduced_by_id,
        "keep_in_touch_days": contact.keep_in_touch_days,
        "tags": sorted(tag.name for tag in contact.tags.all()),
        "notes": contact.notes,
        "connected_on": _iso(contact.connected_on),
        "positions": [
            {
                "id": p.pk,
                "company": p.company,
                "title": p.title,
                "start_date": _iso(p.start_date),
                "end_date": _iso(p.end_date),
                "source": p.source,
                "move": p.move,
                "detected_on": _iso(p.detected_on),
            }
            for p in contact.positions.all()
        ],
        "custom_dates": [
            {"id": d.pk, "label": d.label, "date": _iso(d.date), "yearly": d.yearly}
            for d in contact.custom_dates.all()
        ],
    }


def _interaction_documents(owner: AbstractBaseUser) -> Iterator[dict[str, Any]]:
    through = Interaction.contacts.through
    fields = ("id", "kind", "occurred_on", "occurred_at", "summary", "notes")
    queryset = Interaction.objects.filter(owner=owner).order_by("pk").values(*fields)
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[: CHUNK * 5])
        if not rows:
            return
        people: dict[int, list[int]] = {}
        links = through.objects.filter(interaction_id__in=[r["id"] for r in rows])
        for interaction_id, contact_id in links.values_list("interaction_id", "contact_id"):
            people.setdefault(interaction_id, []).append(contact_id)
        for row in rows:
            yield {
                "id": row["id"],
                "kind": row["kind"],
                "occurred_on": _iso(row["occurred_on"]),
                "occurred_at": row["occurred_at"].isoformat() if row["occurred_at"] else None,
                "summary": row["summary"],
                "notes": row["notes"],
                "contacts": sorted(people.get(row["id"], [])),
            }
        last = rows[-1]["id"]


def _reminder_documents(owner: AbstractBaseUser) -> Iterator[dict[str, Any]]:
    for page in _pages(Reminder.objects.filter(owner=owner), CHUNK * 5):
        for r in page:
            yield {
                "id": r.pk,
                "contact": r.contact_id,
                "kind": r.kind,
                "occasion_key": r.occasion_key,
                "due_on": _iso(r.due_on),
                "status": r.status,
                "snoozed_until": _iso(r.snoozed_until),
                "years": r.years,
                "position": r.position_id,
                "custom_date": r.custom_date_id,
                "completed_at": _iso(r.completed_at),
            }


def _note_documents(owner: AbstractBaseUser) -> Iterator[dict[str, Any]]:
    for page in _pages(NoteDraft.objects.filter(owner=owner), CHUNK * 5):
        for n in page:
            yield {
                "id": n.pk,
                "contact": n.contact_id,
                "reminder": n.reminder_id,
                "subject": n.subject,
                "body": n.body,
                "sent_at": _iso(n.sent_at),
                "interaction": n.interaction_id,
            }


def _json_list(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("\n    " if first else ",\n    ") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n  ]" if not first else "]"


def export_json(owner: AbstractBaseUser) -> Iterator[str]:
    """The backup document, one contact or row per line, in pieces."""
    yield (
        "{\n"
        f'  "format": "{FORMAT_NAME}",\n'
        f'  "version": {FORMAT_VERSION},\n'
        f'  "exported_at": "{timezone.now().isoformat()}",\n'
        '  "contacts": ['
    )
    yield from _json_list(contact_document(c) for c in iter_contacts(owner))
    yield ',\n  "interactions": ['
    yield from _json_list(_interaction_documents(owner))
    yield ',\n  "reminders": ['
    yield from _json_list(_reminder_documents(owner))
    yield ',\n  "notes": ['
    yield from _json_list(_note_documents(owner))
    yield "\n}\n"


# --- vCard -----------------------------------------------------------------------


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    parts, current, size, limit = [], [], 0, 75
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


def contact_vcard(contact: Contact, version: str = "3.0") -> str:
    """One card Apple Contacts and Google Contacts both read."""
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"N:{_escape(contact.last_name)};{_escape(contact.first_name)};;;",
        f"FN:{_escape(contact.full_name)}",
    ]
    current = next((p for p in reversed(contact.positions.all()) if p.end_date is None), None)
    if current and current.company:
        lines.append(f"ORG:{_escape(current.company)}")
    if current and current.title:
        lines.append(f"TITLE:{_escape(current.title)}")
    for email in contact.emails.all():
        lines.append(f"EMAIL{_type_param(email.label, version, 'internet')}:{email.email}")
    for phone in contact.phones.all():
        lines.append(f"TEL{_type_param(phone.label, version, 'voice')}:{_escape(phone.number)}")
    if contact.linkedin_url:
        lines.append(f"item1.URL:{contact.linkedin_url}")
        lines.append("item1.X-ABLabel:LinkedIn")
    if contact.has_birthday:
        month, day = contact.birthday_month, contact.birthday_day
        if contact.birthday_year:
            lines.append(f"BDAY:{contact.birthday_year:04d}-{month:02d}-{day:02d}")
        elif version == "4.0":
            lines.append(f"BDAY:--{month:02d}{day:02d}")
        else:
            # Apple's convention for a birthday without a year; Google reads it too.
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month:02d}-{day:02d}")
    tags = [tag.name for tag in contact.tags.all()]
    if tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in tags))
    if contact.notes:
        lines.append(f"NOTE:{_escape(contact.notes)}")
    lines.append(f"REV:{contact.updated_at.strftime('%Y%m%dT%H%M%SZ')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def export_vcards(owner: AbstractBaseUser, version: str = "3.0") -> Iterator[str]:
    for contact in iter_contacts(owner):
        yield contact_vcard(contact, version)


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


def _csv_row(contact: Contact) -> list[str]:
    current = next((p for p in reversed(contact.positions.all()) if p.end_date is None), None)
    cells = [
        contact.first_name,
        contact.last_name,
        "; ".join(e.email for e in contact.emails.all()),
        "; ".join(p.number for p in contact.phones.all()),
        current.company if current else "",
        current.title if current else "",
        contact.linkedin_url,
        contact.trust_label,
        birthday_text(contact) or "",
        ", ".join(t.name for t in contact.tags.all()),
        _iso(contact.connected_on) or "",
        _iso(contact.met_on) or "",
        contact.how_we_met,
        _iso(contact.last_interaction_on) or "",
        contact.notes,
    ]
    return [csv_safe(cell) for cell in cells]


def export_csv(owner: AbstractBaseUser) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for contact in iter_contacts(owner):
        writer.writerow(_csv_row(contact))
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
