"""Match imported people to existing contacts and write the differences, set-based.

Used by the LinkedIn and vCard importers. Each row is matched (_Index), then planned
(_plan_new, or _plan_update: fill in, details, career) into _Writes, which writes
everything with a fixed number of queries per chunk rather than per row, so 30,000
rows import in seconds. The rules are the app's own: contacts.careers.imported_move
(the current position ends the day before the new one is detected),
contacts.normalize.normalize_tags and contacts.search.reindex_contacts.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from contacts import limits
from contacts.careers import imported_move
from contacts.importers.base import ImportReport, PersonRecord
from contacts.importers.bulk import Row, insert_rows
from contacts.models import (
    CareerMove,
    Contact,
    ContactEmail,
    ContactPhone,
    ContactPhoto,
    Position,
    PositionSource,
)
from contacts.normalize import normalize_name, normalize_tags
from contacts.photos import PhotoError, photo_from_bytes
from contacts.search import compose_search_text, reindex_contacts
from contacts.services import contact_tags_add

Progress = Callable[[int, int], None]
BATCH = 1000
UPDATABLE = [
    "linkedin_url",
    "connected_on",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "notes",
]


@dataclass(slots=True)
class _Current:
    """A current position as plain values; a Position is built only when one is needed."""

    pk: int
    company: str
    title: str
    start_date: date | None
    detected_on: date | None

    def as_position(self) -> Position:
        return Position(
            pk=self.pk,
            company=self.company,
            title=self.title,
            start_date=self.start_date,
            detected_on=self.detected_on,
        )


@dataclass
class _Known:
    """An existing contact as far as matching and filling-in need it.

    Kept as plain values: building 30,000 model instances to find that most rows
    are unchanged would cost more than the whole comparison.
    """

    values: dict[str, Any]
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    current: _Current | Position | None = None
    matched_line: int | None = None
    _contact: Contact | None = None

    @property
    def contact(self) -> Contact:
        if self._contact is None:
            self._contact = Contact(**self.values)
            self._contact._state.adding = False
        return self._contact

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.values["first_name"], self.values["last_name"]) if p)


def _name_key(first: str, last: str, company: str) -> tuple[str, str]:
    return _normalized(f"{first} {last}"), _normalized(company)


_normalized = lru_cache(maxsize=100_000)(normalize_name)


def _began(position: _Current) -> tuple[date, int]:
    return (position.start_date or position.detected_on or date.min, position.pk)


class _Index:
    """Existing contacts of one owner, indexed by each matching key."""

    def __init__(self, owner: User, *, with_tags: bool) -> None:
        fields = ("id", "first_name", "last_name", *UPDATABLE)
        self.known: dict[int, _Known] = {
            values["id"]: _Known(values)
            for values in Contact.objects.filter(owner=owner).values(*fields)
        }
        for contact_id, email in ContactEmail.objects.filter(contact__owner=owner).values_list(
            "contact_id", "email"
        ):
            self.known[contact_id].emails.add(email)
        for contact_id, number in ContactPhone.objects.filter(contact__owner=owner).values_list(
            "contact_id", "number"
        ):
            self.known[contact_id].phones.add(number)
        if with_tags:
            through = Contact.tags.through.objects.filter(contact__owner=owner)
            for contact_id, name in through.values_list("contact_id", "tag__name"):
                self.known[contact_id].tags.add(name)
        positions = Position.objects.filter(contact__owner=owner, end_date__isnull=True)
        for contact_id, pk, company, title, start_date, detected_on in positions.values_list(
            "contact_id", "pk", "company", "title", "start_date", "detected_on"
        ):
            entry = self.known[contact_id]
            position = _Current(pk, company, title, start_date, detected_on)
            if entry.current is None or _began(position) > _began(entry.current):  # type: ignore[arg-type]
                entry.current = position
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for pk, entry in self.known.items():
            if entry.values["linkedin_url"]:
                self.by_url.setdefault(entry.values["linkedin_url"], pk)
            for email in entry.emails:
                self.by_email.setdefault(email, pk)
        self._by_name: dict[tuple[str, str], list[int]] | None = None

    @property
    def by_name(self) -> dict[tuple[str, str], list[int]]:
        """Built on first use: a LinkedIn re-import matches almost everyone by URL."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for pk, entry in self.known.items():
                # Name plus company; a contact with no known company matches a row without one.
                company = entry.current.company if entry.current else ""
                key = _name_key(entry.values["first_name"], entry.values["last_name"], company)
                self._by_name[key].append(pk)
        return self._by_name

    def match(self, record: PersonRecord) -> int | None:
        if record.linkedin_url and record.linkedin_url in self.by_url:
            return self.by_url[record.linkedin_url]
        for email, _ in record.emails:
            if email in self.by_email:
                return self.by_email[email]
        found = self.by_name.get(_name_key(record.first_name, record.last_name, record.company))
        if found and len(found) == 1:
            return found[0]
        return None


class _Pending:
    """New people seen earlier in the same file, so a repeated row is not created twice."""

    def __init__(self) -> None:
        self.keys: dict[Any, int] = {}

    def keys_of(self, record: PersonRecord) -> list[Any]:
        keys: list[Any] = [("email", email) for email, _ in record.emails]
        if record.linkedin_url:
            keys.append(("url", record.linkedin_url))
        if not keys:  # two rows with different URLs or emails are two people, whatever the name
            keys.append(("name", *_name_key(record.first_name, record.last_name, record.company)))
        return keys

    def seen(self, record: PersonRecord) -> int | None:
        return next((self.keys[k] for k in self.keys_of(record) if k in self.keys), None)

    def add(self, record: PersonRecord) -> None:
        for key in self.keys_of(record):
            self.keys.setdefault(key, record.line)


def _fill_in(entry: _Known, record: PersonRecord) -> list[str]:
    """Fill fields the contact lacks; never overwrite what the user has.

    Returns what was filled in, for the report.
    """
    values, changed = entry.values, []
    if record.linkedin_url and not values["linkedin_url"]:
        entry.contact.linkedin_url = record.linkedin_url
        changed.append("LinkedIn URL")
    if record.connected_on and not values["connected_on"]:
        entry.contact.connected_on = record.connected_on
        changed.append("connected on")
    if record.birthday and values["birthday_month"] is None:
        contact = entry.contact
        contact.birthday_year, contact.birthday_month, contact.birthday_day = record.birthday
        changed.append("birthday")
    if record.notes and not values["notes"]:
        entry.contact.notes = record.notes
        changed.append("notes")
    return changed


def _room_for(new: list[Any], entry: _Known, what: str, report: ImportReport) -> list[Any]:
    """The new values that fit beside the contact's: the form refuses more than the limit."""
    have, limit = {
        "email addresses": (entry.emails, limits.EMAILS_MAX),
        "phone numbers": (entry.phones, limits.PHONES_MAX),
        "tags": (entry.tags, limits.TAGS_MAX),
    }[what]
    room = max(limit - len(have), 0)
    if len(new) > room:
        report.warnings.append(
            f"Line {entry.matched_line}: {entry.full_name} already has {len(have)} {what}; "
            f"{len(new) - room} of the {len(new)} new ones left out "
            f"(a contact has at most {limit})."
        )
    return new[:room]


def _search_text(record: PersonRecord) -> str:
    """The search text of a new contact, composed here instead of read back after insert."""
    return compose_search_text(
        first_name=record.first_name,
        last_name=record.last_name,
        notes=record.notes,
        emails=[address for address, _ in record.emails],
        phones=[number for number, _ in record.phones],
        tags=normalize_tags(record.tags),
        current_jobs=[(record.company, record.title)] if record.company or record.title else [],
    )


ContactRef = int | Row  # an existing contact's id, or a new contact's row (id set on insert)


@dataclass
class _Writes:
    """What an import will write, gathered row by row and written in a few bulk queries."""

    new_contacts: list[tuple[PersonRecord, Row]] = field(default_factory=list)
    updated: list[Contact] = field(default_factory=list)
    emails: list[tuple[ContactRef, str, str]] = field(default_factory=list)
    phones: list[tuple[ContactRef, str, str]] = field(default_factory=list)
    tags: list[tuple[ContactRef, list[str]]] = field(default_factory=list)
    positions: list[Row] = field(default_factory=list)
    to_close: list[int] = field(default_factory=list)
    titled: list[Position] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    photos: list[tuple[ContactRef, PersonRecord]] = field(default_factory=list)

    def save(self, *, owner: User, today: date) -> None:
        insert_rows(Contact, [row for _, row in self.new_contacts])
        if self.updated:
            now = timezone.now()
            for contact in self.updated:
                contact.updated_at = now
            fields = [*UPDATABLE, "updated_at"]
            Contact.objects.bulk_update(self.updated, fields, batch_size=BATCH)
        insert_rows(
            ContactEmail,
            [{"contact_id": _pk(c), "email": e, "label": label} for c, e, label in self.emails],
        )
        insert_rows(
            ContactPhone,
            [{"contact_id": _pk(c), "number": n, "label": label} for c, n, label in self.phones],
        )
        _close_positions(self.to_close, ended=today - timedelta(days=1))
        for position in self.positions:
            position["contact_id"] = _pk(position.pop("contact"))
        insert_rows(Position, self.positions)
        Position.objects.bulk_update(self.titled, ["title"], batch_size=BATCH)
        if self.tags:
            contact_tags_add(owner=owner, tags=[(_pk(c), names) for c, names in self.tags])

    def save_photos(self, report: ImportReport) -> None:
        """New people's vCard photos, checked as an upload is; a bad one is only skipped."""
        rows, ids = [], []
        for ref, record in self.photos:
            try:
                photo = photo_from_bytes(record.photo)
            except PhotoError as error:
                report.warnings.append(f"Line {record.line}: photo left out: {error}")
                continue
            rows.append(
                ContactPhoto(
                    contact_id=_pk(ref), data=photo.data, width=photo.width, height=photo.height
                )
            )
            ids.append(_pk(ref))
        ContactPhoto.objects.bulk_create(rows, batch_size=100)
        Contact.objects.filter(pk__in=ids).update(photo_version=1)


def apply_people(
    *,
    owner: User,
    records: list[PersonRecord],
    trust_level: str | None,
    report: ImportReport,
    today: date,
    progress: Progress | None = None,
    with_tags: bool = False,
) -> None:
    """Create the new people and fill in the known ones, in a fixed number of queries."""
    index = _Index(owner, with_tags=with_tags)
    pending = _Pending()
    writes = _Writes()
    total = len(records)
    for done, record in enumerate(records, start=1):
        if progress and done % 500 == 0:
            progress(done, total)
        match = index.match(record)
        if match is None:
            _plan_new(writes, pending, record, owner=owner, trust_level=trust_level, report=report)
        else:
            _plan_update(writes, index.known[match], record, today=today, report=report)
    writes.save(owner=owner, today=today)
    writes.save_photos(report)
    for record, contact in writes.new_contacts:
        report.created.append({"id": contact["id"], "name": record.full_name, "line": record.line})
    reindex_contacts(sorted(writes.touched))  # new contacts were indexed as they were built
    if progress:
        progress(total, total)


def _plan_new(
    writes: _Writes,
    pending: _Pending,
    record: PersonRecord,
    *,
    owner: User,
    trust_level: str | None,
    report: ImportReport,
) -> None:
    """A person no contact matches: a new contact, unless an earlier line was them."""
    first_line = pending.seen(record)
    if first_line is not None:
        report.skip(record.line, f"Same person as line {first_line}.")
        return
    pending.add(record)
    contact: Row = {
        "owner_id": owner.pk,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "trust_level": trust_level,
        "linkedin_url": record.linkedin_url,
        "connected_on": record.connected_on,
        "notes": record.notes,
        "search_text": _search_text(record),
    }
    if record.birthday:
        year, month, day = record.birthday
        contact.update(birthday_year=year, birthday_month=month, birthday_day=day)
    writes.new_contacts.append((record, contact))
    writes.emails += [(contact, address, label) for address, label in record.emails]
    writes.phones += [(contact, number, label) for number, label in record.phones]
    if record.tags:
        writes.tags.append((contact, record.tags))
    if record.photo:
        writes.photos.append((contact, record))
    if record.company or record.title:
        writes.positions.append(
            {
                "contact": contact,
                "company": record.company,
                "title": record.title,
                "source": PositionSource.IMPORTED,
                "move": CareerMove.FIRST,
            }
        )


def _plan_update(
    writes: _Writes, entry: _Known, record: PersonRecord, *, today: date, report: ImportReport
) -> None:
    """A person who is already a contact: add what is new, report what changed."""
    if entry.matched_line is not None:
        report.skip(record.line, f"Same person as line {entry.matched_line}.")
        return
    entry.matched_line = record.line
    changes = _fill_in(entry, record)
    if changes:  # only the contact's own fields so far
        writes.updated.append(entry.contact)
    changes += _plan_details(writes, entry, record, report)
    changes += _plan_career(writes, entry, record, today=today, report=report)
    if changes:
        writes.touched.add(entry.values["id"])
        report.updated.append(
            {
                "id": entry.values["id"],
                "name": entry.full_name,
                "line": record.line,
                "changes": changes,
            }
        )


def _plan_details(
    writes: _Writes, entry: _Known, record: PersonRecord, report: ImportReport
) -> list[str]:
    """Emails, phones and tags the contact does not have yet."""
    changes = []
    contact_id = entry.values["id"]
    new_emails = [(a, label) for a, label in record.emails if a not in entry.emails]
    for address, label in _room_for(new_emails, entry, "email addresses", report):
        entry.emails.add(address)
        writes.emails.append((contact_id, address, label))
        changes.append(f"email {address}")
    new_phones = [(n, label) for n, label in record.phones if n not in entry.phones]
    for number, label in _room_for(new_phones, entry, "phone numbers", report):
        entry.phones.add(number)
        writes.phones.append((contact_id, number, label))
        changes.append(f"phone {number}")
    new_tags = [tag for tag in normalize_tags(record.tags) if tag not in entry.tags]
    new_tags = _room_for(new_tags, entry, "tags", report)
    if new_tags:
        entry.tags.update(new_tags)
        writes.tags.append((contact_id, new_tags))
        changes.append("tags")
    return changes


def _plan_career(
    writes: _Writes, entry: _Known, record: PersonRecord, *, today: date, report: ImportReport
) -> list[str]:
    """The career rule of contacts.careers applied to the row's company and title."""
    current = entry.current
    move = imported_move(current, record.company, record.title)
    if move is None and current is not None:
        current.title = record.title
        writes.titled.append(Position(pk=current.pk, title=record.title))
        return ["title"]
    if move is None or move is CareerMove.UNCHANGED:
        return []
    writes.positions.append(
        {
            "contact": entry.values["id"],
            "company": record.company,
            "title": record.title,
            "move": move,
            "source": PositionSource.DETECTED if current else PositionSource.IMPORTED,
            "detected_on": today if current else None,
        }
    )
    new = Position(company=record.company, title=record.title)
    entry.current = new
    if current is None:
        return ["current position"]
    writes.to_close.append(current.pk)
    report.job_changes.append(
        {
            "id": entry.values["id"],
            "name": entry.full_name,
            "line": record.line,
            "move": move.value,
            "move_label": move.label,
            "from": str(current.as_position() if isinstance(current, _Current) else current),
            "to": str(new),
        }
    )
    return [move.label.lower()]


def _pk(ref: ContactRef) -> int:
    return ref if isinstance(ref, int) else ref["id"]


def _close_positions(ids: list[int], *, ended: date) -> None:
    """End positions the day before the new job was detected, never before they began."""
    for start in range(0, len(ids), BATCH):
        chunk = Position.objects.filter(pk__in=ids[start : start + BATCH])
        chunk.filter(start_date__gt=ended).update(end_date=F("start_date"))
        chunk.filter(end_date__isnull=True).update(end_date=ended)
