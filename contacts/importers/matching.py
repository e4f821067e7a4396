"""Matching imported people to an owner's contacts: the index of existing contacts by
each key, and the people seen earlier in the same file.

Keys, strongest first: the source's own id (a re-import of a Monica, Google or
Outlook export), the LinkedIn URL, an email address; LinkedIn and vCard imports
then try name and company, the other sources never do (`strong_only`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User

from contacts.importers.base import PersonRecord
from contacts.models import Contact, ContactEmail, ContactPhone, Position, SourceRecord
from contacts.normalize import normalize_name

UPDATABLE = [
    "linkedin_url",
    "connected_on",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "notes",
    "how_we_met",
    "met_on",
    "met_at",
]


@dataclass(slots=True)
class Current:
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
class Known:
    """An existing contact as far as matching and filling-in need it.

    Kept as plain values: building 30,000 model instances to find that most rows
    are unchanged would cost more than the whole comparison.
    """

    values: dict[str, Any]
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    current: Current | Position | None = None
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


def _began(position: Current) -> tuple[date, int]:
    return (position.start_date or position.detected_on or date.min, position.pk)


class Index:
    """Existing contacts of one owner, indexed by each matching key."""

    def __init__(
        self, owner: User, *, with_tags: bool, source: str = "", strong_only: bool = False
    ) -> None:
        # strong_only: match by the source's own id, LinkedIn URL or email, never by name.
        self.strong_only = strong_only
        self.by_source: dict[str, int] = {}
        if source:
            records = SourceRecord.objects.filter(owner=owner, source=source)
            self.by_source = dict(records.values_list("external_id", "contact_id"))
        fields = ("id", "first_name", "last_name", *UPDATABLE)
        self.known: dict[int, Known] = {
            values["id"]: Known(values)
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
            position = Current(pk, company, title, start_date, detected_on)
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
        if record.source_id and record.source_id in self.by_source:
            return self.by_source[record.source_id]
        if record.linkedin_url and record.linkedin_url in self.by_url:
            return self.by_url[record.linkedin_url]
        for email, _ in record.emails:
            if email in self.by_email:
                return self.by_email[email]
        if self.strong_only:
            return None
        found = self.by_name.get(_name_key(record.first_name, record.last_name, record.company))
        if found and len(found) == 1:
            return found[0]
        return None


class Pending:
    """New people seen earlier in the same file, so a repeated row is not created twice."""

    def __init__(self) -> None:
        self.keys: dict[Any, int] = {}

    def keys_of(self, record: PersonRecord) -> list[Any]:
        keys: list[Any] = [("email", email) for email, _ in record.emails]
        if record.linkedin_url:
            keys.append(("url", record.linkedin_url))
        if record.source_id:
            keys.append(("source", record.source_id))
        if not keys:  # two rows with different URLs or emails are two people, whatever the name
            keys.append(("name", *_name_key(record.first_name, record.last_name, record.company)))
        return keys

    def seen(self, record: PersonRecord) -> int | None:
        return next((self.keys[k] for k in self.keys_of(record) if k in self.keys), None)

    def add(self, record: PersonRecord) -> None:
        for key in self.keys_of(record):
            self.keys.setdefault(key, record.line)
