"""A contact as the exports write it: one plain dict per contact, read in pages.

`contact_documents` reads contacts as plain values in keyset pages of CHUNK, with their
related rows (emails, phones, tags, positions, dates and, when asked, photos) fetched
per page by id range, so memory stays flat however many contacts there are. The JSON
backup, vCard and CSV exports (contacts.exporters) all write these dicts.
"""

import base64
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from contacts.models import Contact, ContactEmail, ContactPhone, ContactPhoto, Position
from reminders.models import CustomDate

CHUNK = 2000


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def backup_rows(
    queryset: QuerySet[Any], fields: tuple[str, ...], *, page: int = CHUNK * 2
) -> Iterator[dict[str, Any]]:
    """Rows as the JSON backup writes them: the named fields in order (a foreign key
    named without `_id` gives the id under that name), dates and times in ISO 8601.

    Read as plain values in keyset pages by id, so memory stays flat however many rows.
    """
    rows = queryset.order_by("pk").values("pk", *fields)
    last = 0
    while found := list(rows.filter(pk__gt=last)[:page]):
        for row in found:
            last = row.pop("pk")
            yield {
                key: value.isoformat() if isinstance(value, (date, time)) else value
                for key, value in row.items()
            }


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
    "photo_version",
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


def contact_documents(
    owner: User | int,
    *,
    pk: int | None = None,
    pks: list[int] | None = None,
    after: int = 0,
    photos: bool = False,
) -> Iterator[dict[str, Any]]:
    """Contacts as format-v1 dicts, a page at a time, from plain values (no model instances).

    Each document also carries `_last_interaction_on` and `_updated_at` for the CSV
    and vCard exports; the JSON export leaves those out. With `photos`, a contact's
    photo is its JPEG in base64 (else None); the CSV export does without the bytes.
    `pks`: only these contacts (phone sync's changed ones); `after`: start past this id.
    """
    last = after
    contacts = Contact.objects.filter(owner=owner)
    if pk is not None:
        contacts = contacts.filter(pk=pk)
    if pks is not None:
        contacts = contacts.filter(pk__in=pks)
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
        elif pks is not None:
            span = {"contact_id__in": [row["id"] for row in page]}
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
        faces: dict[int, bytes] = {}
        if photos and any(row["photo_version"] for row in page):
            found = ContactPhoto.objects.filter(**span).values_list("contact_id", "data")
            faces = {contact_id: bytes(data) for contact_id, data in found}
        for row in page:
            # Not `pk`: that names the one contact asked for, and decides the next span.
            contact_id = row["id"]
            face = faces.get(contact_id)
            yield _document(
                row,
                emails=emails.get(contact_id, []),
                phones=phones.get(contact_id, []),
                tags=tags.get(contact_id, []),
                positions=positions.get(contact_id, []),
                dates=dates.get(contact_id, []),
                photo=base64.b64encode(face).decode("ascii") if face else None,
            )


def _document(
    row: dict[str, Any],
    *,
    emails: list[tuple[Any, ...]],
    phones: list[tuple[Any, ...]],
    tags: list[tuple[Any, ...]],
    positions: list[tuple[Any, ...]],
    dates: list[tuple[Any, ...]],
    photo: str | None,
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
        "met_on": iso(row["met_on"]),
        "met_at": row["met_at"],
        "introduced_by": row["introduced_by_id"],
        "keep_in_touch_days": row["keep_in_touch_days"],
        "tags": sorted(name for (name,) in tags),
        "notes": row["notes"],
        "connected_on": iso(row["connected_on"]),
        "positions": [
            {
                "id": p[0],
                "company": p[1],
                "title": p[2],
                "start_date": iso(p[3]),
                "end_date": iso(p[4]),
                "source": p[5],
                "move": p[6],
                "detected_on": iso(p[7]),
            }
            for p in sorted(positions, key=lambda p: (p[3] is not None, p[3] or 0, p[0]))
        ],
        "custom_dates": [
            {"id": d[0], "label": d[1], "date": iso(d[2]), "yearly": d[3]} for d in dates
        ],
        # Format 1.3: the contact's photo, a JPEG in base64 (null without one).
        "photo": photo,
        "_last_interaction_on": iso(row["last_interaction_on"]),
        "_updated_at": row["updated_at"],
    }


def iter_documents(owner: User, *, photos: bool = False) -> Iterator[dict[str, Any]]:
    return contact_documents(owner, photos=photos)


def current_job(document: dict[str, Any]) -> dict[str, Any] | None:
    return next((p for p in reversed(document["positions"]) if not p["end_date"]), None)
