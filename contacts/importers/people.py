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
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from contacts import limits
from contacts.careers import classify_move, same_company
from contacts.importers.base import ImportReport, PersonRecord
from contacts.importers.bulk import Row, insert_rows
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
from contacts.search import compose_search_text
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


def _unchanged(current: _Current | Position | None, company: str, title: str) -> bool:
    """classify_move(...) is UNCHANGED, decided without building a Position when possible."""
    if current is None:
        return False
    if current.company == company and current.title == title:
        return True
    position = current.as_position() if isinstance(current, _Current) else current
    # A card or row naming the same company but no title says nothing about a promotion
    # (a vCard's ORG often comes without TITLE): keep the title we have.
    if not title.strip() and same_company(position.company, company):
        return True
    return classify_move(position, company, title) is CareerMove.UNCHANGED


def _fills_in_title(current: _Current, record: PersonRecord) -> bool:
    """The record names the title of a saved current job we know only by its company.

    Learning what someone does where they already work is an update, not a promotion
    to congratulate: the position gets the title and no move is recorded.
    """
    return (
        not current.title.strip()
        and bool(record.title.strip())
        and bool(record.company)
        and same_company(current.company, record.company)
    )


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
    """Fill fields the contact lacks; never overwrite what the user has."""
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
        tags=dict.fromkeys(t.strip().lower()[:50] for t in record.tags if t.strip()),
        current_jobs=[(record.company, record.title)] if record.company or record.title else [],
    )


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
    index = _Index(owner, with_tags=with_tags)
    pending = _Pending()
    new_contacts: list[tuple[PersonRecord, Row]] = []
    updated: list[Contact] = []
    emails: list[tuple[int | Row, str, str]] = []
    phones: list[tuple[int | Row, str, str]] = []
    tags: list[tuple[int | Row, list[str]]] = []
    positions: list[Row] = []
    to_close: list[Position] = []
    titled: list[Position] = []
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
            new_contacts.append((record, contact))
            emails += [(contact, address, label) for address, label in record.emails]
            phones += [(contact, number, label) for number, label in record.phones]
            if record.tags:
                tags.append((contact, record.tags))
            if record.company or record.title:
                positions.append(
                    {
                        "contact": contact,
                        "company": record.company,
                        "title": record.title,
                        "source": PositionSource.IMPORTED,
                        "move": CareerMove.FIRST,
                    }
                )
            continue
        entry = index.known[match]
        if entry.matched_line is not None:
            report.skip(record.line, f"Same person as line {entry.matched_line}.")
            continue
        entry.matched_line = record.line
        changes = _fill_in(entry, record)
        new_emails = [(a, label) for a, label in record.emails if a not in entry.emails]
        new_emails = _room_for(new_emails, entry, "email addresses", report)
        for address, label in new_emails:
            entry.emails.add(address)
            emails.append((entry.values["id"], address, label))
            changes.append(f"email {address}")
        new_phones = [(n, label) for n, label in record.phones if n not in entry.phones]
        new_phones = _room_for(new_phones, entry, "phone numbers", report)
        for number, label in new_phones:
            entry.phones.add(number)
            phones.append((entry.values["id"], number, label))
            changes.append(f"phone {number}")
        new_tags = [t for t in record.tags if t.strip().lower()[:50] not in entry.tags]
        new_tags = _room_for(new_tags, entry, "tags", report)
        if new_tags:
            entry.tags |= {t.strip().lower()[:50] for t in new_tags}
            tags.append((entry.values["id"], new_tags))
            changes.append("tags")
        current = entry.current
        if isinstance(current, _Current) and _fills_in_title(current, record):
            current.title = record.title
            titled.append(Position(pk=current.pk, title=record.title))
            changes.append("title")
        # A row without a company says nothing about a job change (LinkedIn leaves it
        # empty when people hide it), so only a named company is compared.
        elif record.company and not _unchanged(entry.current, record.company, record.title):
            before = entry.current
            if isinstance(before, _Current):
                before = before.as_position()
            move = classify_move(before, record.company, record.title)
            if before is not None:
                to_close.append(before)
            new = Position(company=record.company, title=record.title)
            positions.append(
                {
                    "contact": entry.values["id"],
                    "company": record.company,
                    "title": record.title,
                    "move": move,
                    "source": PositionSource.DETECTED if before else PositionSource.IMPORTED,
                    "detected_on": today if before else None,
                }
            )
            entry.current = new
            if before is not None:
                report.job_changes.append(
                    {
                        "id": entry.values["id"],
                        "name": entry.full_name,
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
            touched.add(entry.values["id"])
            if any(c in changes for c in ("LinkedIn URL", "connected on", "birthday", "notes")):
                updated.append(entry.contact)
            report.updated.append(
                {
                    "id": entry.values["id"],
                    "name": entry.full_name,
                    "line": record.line,
                    "changes": changes,
                }
            )
    _write(
        owner=owner,
        today=today,
        new_contacts=[row for _, row in new_contacts],
        updated=updated,
        emails=emails,
        phones=phones,
        tags=tags,
        positions=positions,
        to_close=to_close,
        titled=titled,
    )
    for record, contact in new_contacts:
        report.created.append({"id": contact["id"], "name": record.full_name, "line": record.line})
    reindex(sorted(touched))  # new contacts were indexed as they were built
    if progress:
        progress(total, total)


def _pk(ref: int | Row) -> int:
    """A contact reference: an existing contact's id, or a new contact's row."""
    return ref if isinstance(ref, int) else ref["id"]


def _write(
    *,
    owner: User,
    today: date,
    new_contacts: list[Row],
    updated: list[Contact],
    emails: list[tuple[int | Row, str, str]],
    phones: list[tuple[int | Row, str, str]],
    tags: list[tuple[int | Row, list[str]]],
    positions: list[Row],
    to_close: list[Position],
    titled: list[Position],
) -> None:
    insert_rows(Contact, new_contacts)
    if updated:
        now = timezone.now()
        for contact in updated:
            contact.updated_at = now
        Contact.objects.bulk_update(updated, [*UPDATABLE, "updated_at"], batch_size=BATCH)
    insert_rows(
        ContactEmail,
        [{"contact_id": _pk(c), "email": e, "label": label} for c, e, label in emails],
    )
    insert_rows(
        ContactPhone,
        [{"contact_id": _pk(c), "number": n, "label": label} for c, n, label in phones],
    )
    _close_positions([p.pk for p in to_close], ended=today - timedelta(days=1))
    for position in positions:
        position["contact_id"] = _pk(position.pop("contact"))
    insert_rows(Position, positions)
    Position.objects.bulk_update(titled, ["title"], batch_size=BATCH)
    if tags:
        _add_tags(owner, tags)


def _close_positions(ids: list[int], *, ended: date) -> None:
    """End positions the day before the new job was detected, never before they began."""
    for start in range(0, len(ids), BATCH):
        chunk = Position.objects.filter(pk__in=ids[start : start + BATCH])
        chunk.filter(start_date__gt=ended).update(end_date=F("start_date"))
        chunk.filter(end_date__isnull=True).update(end_date=ended)


def _add_tags(owner: User, tags: Iterable[tuple[int | Row, list[str]]]) -> None:
    tags = list(tags)
    by_name: dict[str, Tag] = {
        tag.name: tag
        for tag in tags_get_or_create(owner=owner, names={n for _, names in tags for n in names})
    }
    through = Contact.tags.through
    rows = [
        through(contact_id=_pk(contact), tag_id=by_name[name.strip().lower()[:50]].pk)
        for contact, names in tags
        for name in {n for n in names if n.strip()}
    ]
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def reindex(ids: list[int]) -> None:
    """contacts.search.reindex_contacts from plain values, for thousands of contacts.

    Same text (compose_search_text), but without model instances, and updated in
    small batches: PostgreSQL evaluates bulk_update's CASE per row, so its cost grows
    with the square of the batch.
    """
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        within = {"contact_id__in": chunk}
        emails = _by_contact(ContactEmail.objects.filter(**within).order_by("id"), "email")
        phones = _by_contact(ContactPhone.objects.filter(**within).order_by("id"), "number")
        tags = _by_contact(
            Contact.tags.through.objects.filter(**within).order_by("tag__name"), "tag__name"
        )
        jobs = _by_contact(
            Position.objects.filter(end_date__isnull=True, **within).order_by("-start_date", "-id"),
            "company",
            "title",
        )
        fresh = []
        fields = ("id", "first_name", "last_name", "met_at", "how_we_met", "notes")
        for values in Contact.objects.filter(pk__in=chunk).values(*fields):
            pk = values.pop("id")
            contact = Contact(pk=pk)
            contact.search_text = compose_search_text(
                **values,
                emails=[e for (e,) in emails.get(pk, [])],
                phones=[p for (p,) in phones.get(pk, [])],
                tags=[t for (t,) in tags.get(pk, [])],
                current_jobs=jobs.get(pk, []),
            )
            fresh.append(contact)
        Contact.objects.bulk_update(fresh, ["search_text"], batch_size=100)


def _by_contact(queryset: Any, *fields: str) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for contact_id, *values in queryset.values_list("contact_id", *fields):
        grouped[contact_id].append(tuple(values))
    return grouped
