"""Match imported people to existing contacts and write the differences, set-based.

Used by the LinkedIn and vCard importers. The rules are those of
contacts.careers (classify_move; the current position ends the day before the
new one is detected), applied with a fixed number of queries per chunk rather
than per row, so 30,000 rows import in seconds.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.utils import timezone

from contacts.careers import classify_move
from contacts.importers.base import ImportReport, PersonRecord
from contacts.models import (
    CareerMove,
    Contact,
    ContactEmail,
    ContactPhone,
    Position,
    PositionSource,
    Tag,
)
from contacts.normalize import normalize_name
from contacts.search import compose_search_text, reindex_contacts
from contacts.services import tags_get_or_create

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


@dataclass
class _Known:
    """An existing contact as far as matching and filling-in need it."""

    contact: Contact
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    current: Position | None = None
    matched_line: int | None = None


def _name_key(first: str, last: str, company: str) -> tuple[str, str]:
    return normalize_name(f"{first} {last}"), normalize_name(company)


def _newer(a: Position | None, b: Position) -> Position:
    if a is None:
        return b
    key_a = (a.start_date or a.detected_on or date.min, a.pk)
    key_b = (b.start_date or b.detected_on or date.min, b.pk)
    return b if key_b > key_a else a


class _Index:
    """Existing contacts of one owner, indexed by each matching key."""

    def __init__(self, owner: AbstractBaseUser, *, with_tags: bool) -> None:
        self.known: dict[int, _Known] = {
            c.pk: _Known(c)
            for c in Contact.objects.filter(owner=owner).only(
                "id", "first_name", "last_name", *UPDATABLE
            )
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
        positions = Position.objects.filter(contact__owner=owner, end_date__isnull=True).only(
            "id", "contact_id", "company", "title", "start_date", "detected_on"
        )
        for position in positions:
            entry = self.known[position.contact_id]
            entry.current = _newer(entry.current, position)
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, entry in self.known.items():
            if entry.contact.linkedin_url:
                self.by_url.setdefault(entry.contact.linkedin_url, pk)
            for email in entry.emails:
                self.by_email.setdefault(email, pk)
            # Name plus company; a contact with no known company matches a row without one.
            company = entry.current.company if entry.current else ""
            key = _name_key(entry.contact.first_name, entry.contact.last_name, company)
            self.by_name[key].append(pk)

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
    """Fill fields the contact lacks; never overwrite what the user has."""
    contact, changed = entry.contact, []
    if record.linkedin_url and not contact.linkedin_url:
        contact.linkedin_url = record.linkedin_url
        changed.append("LinkedIn URL")
    if record.connected_on and not contact.connected_on:
        contact.connected_on = record.connected_on
        changed.append("connected on")
    if record.birthday and contact.birthday_month is None:
        contact.birthday_year, contact.birthday_month, contact.birthday_day = record.birthday
        changed.append("birthday")
    if record.notes and not contact.notes:
        contact.notes = record.notes
        changed.append("notes")
    return changed


def _search_text(record: PersonRecord) -> str:
    """The search text of a new contact, composed here instead of read back after insert."""
    return compose_search_text(
        first_name=record.first_name,
        last_name=record.last_name,
        notes=record.notes,
        emails=[address for address, _ in record.emails],
        phones=[number for number, _ in record.phones],
        tags=dict.fromkeys(t.strip().lower()[:50] for t in record.tags if t.strip()),
        current_jobs=[(record.company, record.title)] if record.company or record.title else [],
    )


def apply_people(
    *,
    owner: AbstractBaseUser,
    records: list[PersonRecord],
    trust_level: str | None,
    report: ImportReport,
    today: date,
    progress: Progress | None = None,
    with_tags: bool = False,
) -> None:
    index = _Index(owner, with_tags=with_tags)
    pending = _Pending()
    new_contacts: list[tuple[PersonRecord, Contact]] = []
    updated: list[Contact] = []
    emails: list[tuple[Contact, str, str]] = []
    phones: list[tuple[Contact, str, str]] = []
    tags: list[tuple[Contact, list[str]]] = []
    positions: list[Position] = []
    to_close: list[Position] = []
    touched: set[int] = set()
    total = len(records)
    for done, record in enumerate(records, start=1):
        if progress and done % 500 == 0:
            progress(done, total)
        match = index.match(record)
        if match is None:
            first_line = pending.seen(record)
            if first_line is not None:
                report.skip(record.line, f"Same person as line {first_line}.")
                continue
            pending.add(record)
            contact = Contact(
                owner=owner,
                first_name=record.first_name,
                last_name=record.last_name,
                trust_level=trust_level,
                linkedin_url=record.linkedin_url,
                connected_on=record.connected_on,
                notes=record.notes,
            )
            if record.birthday:
                contact.birthday_year, contact.birthday_month, contact.birthday_day = (
                    record.birthday
                )
            contact.search_text = _search_text(record)
            new_contacts.append((record, contact))
            emails += [(contact, address, label) for address, label in record.emails]
            phones += [(contact, number, label) for number, label in record.phones]
            if record.tags:
                tags.append((contact, record.tags))
            if record.company or record.title:
                positions.append(
                    Position(
                        contact=contact,
                        company=record.company,
                        title=record.title,
                        source=PositionSource.IMPORTED,
                        move=CareerMove.FIRST,
                    )
                )
            continue
        entry = index.known[match]
        if entry.matched_line is not None:
            report.skip(record.line, f"Same person as line {entry.matched_line}.")
            continue
        entry.matched_line = record.line
        contact = entry.contact
        changes = _fill_in(entry, record)
        for address, label in record.emails:
            if address not in entry.emails:
                entry.emails.add(address)
                emails.append((contact, address, label))
                changes.append(f"email {address}")
        for number, label in record.phones:
            if number not in entry.phones:
                entry.phones.add(number)
                phones.append((contact, number, label))
                changes.append(f"phone {number}")
        new_tags = [t for t in record.tags if t.strip().lower()[:50] not in entry.tags]
        if new_tags:
            entry.tags |= {t.strip().lower()[:50] for t in new_tags}
            tags.append((contact, new_tags))
            changes.append("tags")
        if record.company or record.title:
            move = classify_move(entry.current, record.company, record.title)
            if move is not CareerMove.UNCHANGED:
                before = entry.current
                if before is not None:
                    to_close.append(before)
                new = Position(
                    contact=contact,
                    company=record.company,
                    title=record.title,
                    move=move,
                    source=PositionSource.DETECTED if before else PositionSource.IMPORTED,
                    detected_on=today if before else None,
                )
                positions.append(new)
                entry.current = new
                if before is not None:
                    report.job_changes.append(
                        {
                            "id": contact.pk,
                            "name": contact.full_name,
                            "line": record.line,
                            "move": move.value,
                            "move_label": move.label,
                            "from": str(before),
                            "to": str(new),
                        }
                    )
                    changes.append(move.label.lower())
                else:
                    changes.append("current position")
        if changes:
            touched.add(contact.pk)
            if any(c in changes for c in ("LinkedIn URL", "connected on", "birthday", "notes")):
                updated.append(contact)
            report.updated.append(
                {
                    "id": contact.pk,
                    "name": contact.full_name,
                    "line": record.line,
                    "changes": changes,
                }
            )
    _write(
        owner=owner,
        today=today,
        new_contacts=[c for _, c in new_contacts],
        updated=updated,
        emails=emails,
        phones=phones,
        tags=tags,
        positions=positions,
        to_close=to_close,
    )
    for record, contact in new_contacts:
        report.created.append({"id": contact.pk, "name": contact.full_name, "line": record.line})
    ids = sorted(touched)  # new contacts were indexed as they were built
    for start in range(0, len(ids), BATCH):
        reindex_contacts(Contact(pk=pk) for pk in ids[start : start + BATCH])
    if progress:
        progress(total, total)


def _write(
    *,
    owner: AbstractBaseUser,
    today: date,
    new_contacts: list[Contact],
    updated: list[Contact],
    emails: list[tuple[Contact, str, str]],
    phones: list[tuple[Contact, str, str]],
    tags: list[tuple[Contact, list[str]]],
    positions: list[Position],
    to_close: list[Position],
) -> None:
    Contact.objects.bulk_create(new_contacts, batch_size=BATCH)
    if updated:
        now = timezone.now()
        for contact in updated:
            contact.updated_at = now
        Contact.objects.bulk_update(updated, [*UPDATABLE, "updated_at"], batch_size=BATCH)
    ContactEmail.objects.bulk_create(
        (ContactEmail(contact=c, email=e, label=label) for c, e, label in emails),
        batch_size=BATCH,
    )
    ContactPhone.objects.bulk_create(
        (ContactPhone(contact=c, number=n, label=label) for c, n, label in phones),
        batch_size=BATCH,
    )
    _close_positions([p.pk for p in to_close], ended=today - timedelta(days=1))
    for position in positions:
        position.contact_id = position.contact.pk
    Position.objects.bulk_create(positions, batch_size=BATCH)
    if tags:
        _add_tags(owner, tags)


def _close_positions(ids: list[int], *, ended: date) -> None:
    """End positions the day before the new job was detected, never before they began."""
    for start in range(0, len(ids), BATCH):
        chunk = Position.objects.filter(pk__in=ids[start : start + BATCH])
        chunk.filter(start_date__gt=ended).update(end_date=F("start_date"))
        chunk.filter(end_date__isnull=True).update(end_date=ended)


def _add_tags(owner: AbstractBaseUser, tags: Iterable[tuple[Contact, list[str]]]) -> None:
    tags = list(tags)
    by_name: dict[str, Tag] = {
        tag.name: tag
        for tag in tags_get_or_create(owner=owner, names={n for _, names in tags for n in names})
    }
    through = Contact.tags.through
    rows = [
        through(contact_id=contact.pk, tag_id=by_name[name.strip().lower()[:50]].pk)
        for contact, names in tags
        for name in {n for n in names if n.strip()}
    ]
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
