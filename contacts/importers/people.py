"""Match imported people to existing contacts and write the differences, set-based.

Used by the LinkedIn and vCard importers. Each row is matched (Index), then planned
(_plan_new, or _plan_update: fill in, details, career) into _Writes, which writes
everything with a fixed number of queries per chunk rather than per row, so 30,000
rows import in seconds. The rules are the app's own: contacts.careers.imported_move
(the current position ends the day before the new one is detected),
contacts.normalize.normalize_tags and contacts.search.reindex_contacts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext

from contacts import limits
from contacts.careers import imported_move
from contacts.importers.base import ImportReport, PersonRecord
from contacts.importers.bulk import Row, insert_rows
from contacts.importers.matching import UPDATABLE, Current, Index, Known, Pending
from contacts.models import (
    CareerMove,
    Contact,
    ContactEmail,
    ContactPhone,
    Position,
    PositionSource,
    SourceRecord,
)
from contacts.normalize import normalize_tags
from contacts.photos import PhotoError, photo_from_bytes
from contacts.search import compose_search_text, own_text, reindex_contacts
from contacts.services import contact_photos_add, contact_tags_add
from contacts.trust_history import record_imported_levels
from crm.formats import mid_sentence

Progress = Callable[[int, int], None]
BATCH = 1000


# What an import fills in where the contact has nothing yet, in the report's words.
FILLED_IN = (
    ("linkedin_url", gettext_lazy("LinkedIn URL")),
    ("connected_on", gettext_lazy("connected on")),
    ("birthday", gettext_lazy("birthday")),
    ("how_we_met", gettext_lazy("how we met")),
    ("met_on", gettext_lazy("first met")),
    ("met_at", gettext_lazy("place met")),
)


def _fill_in(entry: Known, record: PersonRecord) -> list[str]:
    """Fill fields the contact lacks; never overwrite what the user has.

    Returns what was filled in, for the report.
    """
    values, changed = entry.values, []
    for name, label in FILLED_IN:
        value = getattr(record, name)
        if name == "birthday":
            if value and values["birthday_month"] is None:
                contact = entry.contact
                contact.birthday_year, contact.birthday_month, contact.birthday_day = value
                changed.append(str(label))
        elif value and not values[name]:
            setattr(entry.contact, name, value)
            changed.append(str(label))
    if record.notes and not values["notes"]:
        entry.contact.notes = record.notes
        changed.append(gettext("notes"))
    elif record.notes_append and record.notes and record.notes not in values["notes"]:
        joined = f"{values['notes']}\n\n{record.notes}"
        if len(joined) <= limits.NOTES_MAX:
            entry.contact.notes = joined
            changed.append(gettext("notes"))
    return changed


def _room_for(new: list[Any], entry: Known, what: str, report: ImportReport) -> list[Any]:
    """The new values that fit beside the contact's: the form refuses more than the limit."""
    have, limit = {
        "email addresses": (entry.emails, limits.EMAILS_MAX),
        "phone numbers": (entry.phones, limits.PHONES_MAX),
        "tags": (entry.tags, limits.TAGS_MAX),
    }[what]
    room = max(limit - len(have), 0)
    if len(new) > room:
        report.warnings.append(
            gettext(
                "Line %(line)s: %(name)s already has %(have)s %(what)s; %(out)s of the %(new)s "
                "new ones left out (a contact has at most %(limit)s)."
            )
            % {
                "line": entry.matched_line,
                "name": entry.full_name,
                "have": len(have),
                "what": {"tags": gettext("tags"), "phone numbers": gettext("phone numbers")}.get(
                    what, gettext("email addresses")
                ),
                "out": len(new) - room,
                "new": len(new),
                "limit": limit,
            }
        )
    return new[:room]


def _search_text(record: PersonRecord) -> str:
    """The search text of a new contact, composed here instead of read back after insert."""
    return compose_search_text(
        **own_text(record),
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
    # Known contacts matched by a row with a source id (kept as SourceRecords).
    matched: list[tuple[PersonRecord, int]] = field(default_factory=list)

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
        faces = []
        for ref, record in self.photos:
            try:
                faces.append((_pk(ref), photo_from_bytes(record.photo)))
            except PhotoError as error:
                report.warnings.append(
                    gettext("Line %(line)s: photo left out: %(error)s")
                    % {"line": record.line, "error": error}
                )
        contact_photos_add(photos=faces)


def apply_people(
    *,
    owner: User,
    records: list[PersonRecord],
    trust_level: str | None,
    report: ImportReport,
    today: date,
    progress: Progress | None = None,
    with_tags: bool = False,
    source: str = "",
) -> dict[str, int]:
    """Create the new people and fill in the known ones, in a fixed number of queries.

    With a `source` (Monica, Google, Outlook), people are matched by strong keys only
    and keep their source ids; returns the contact each source id now belongs to.
    """
    index = Index(owner, with_tags=with_tags, source=source, strong_only=bool(source))
    pending = Pending()
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
    # Known contacts keep their level (an import never changes one); new ones start a history.
    record_imported_levels(
        owner_id=owner.pk,
        levels=[(row["id"], trust_level) for _, row in writes.new_contacts],
        on=today,
    )
    for record, contact in writes.new_contacts:
        report.created.append({"id": contact["id"], "name": record.full_name, "line": record.line})
    reindex_contacts(sorted(writes.touched))  # new contacts were indexed as they were built
    if progress:
        progress(total, total)
    return _keep_source_ids(owner, source, index, writes) if source else {}


def _keep_source_ids(owner: User, source: str, index: Index, writes: _Writes) -> dict[str, int]:
    """Record the source id of each person imported, and return them all (id -> contact)."""
    found = dict(index.by_source)
    for record, row in writes.new_contacts:
        if record.source_id:
            found.setdefault(record.source_id, row["id"])
    for record, contact_id in writes.matched:
        found.setdefault(record.source_id, contact_id)
    insert_rows(
        SourceRecord,
        [
            {"owner_id": owner.pk, "source": source, "external_id": key, "contact_id": found[key]}
            for key in found
            if key not in index.by_source
        ],
    )
    return found


def _plan_new(
    writes: _Writes,
    pending: Pending,
    record: PersonRecord,
    *,
    owner: User,
    trust_level: str | None,
    report: ImportReport,
) -> None:
    """A person no contact matches: a new contact, unless an earlier line was them."""
    first_line = pending.seen(record)
    if first_line is not None:
        report.skip(record.line, _same_as(first_line))
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
        "how_we_met": record.how_we_met,
        "met_on": record.met_on,
        "met_at": record.met_at,
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
    writes: _Writes, entry: Known, record: PersonRecord, *, today: date, report: ImportReport
) -> None:
    """A person who is already a contact: add what is new, report what changed."""
    if entry.matched_line is not None:
        report.skip(record.line, _same_as(entry.matched_line))
        return
    entry.matched_line = record.line
    if record.source_id:
        writes.matched.append((record, entry.values["id"]))
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
    writes: _Writes, entry: Known, record: PersonRecord, report: ImportReport
) -> list[str]:
    """Emails, phones and tags the contact does not have yet."""
    changes = []
    contact_id = entry.values["id"]
    new_emails = [(a, label) for a, label in record.emails if a not in entry.emails]
    for address, label in _room_for(new_emails, entry, "email addresses", report):
        entry.emails.add(address)
        writes.emails.append((contact_id, address, label))
        changes.append(gettext("email %(address)s") % {"address": address})
    new_phones = [(n, label) for n, label in record.phones if n not in entry.phones]
    for number, label in _room_for(new_phones, entry, "phone numbers", report):
        entry.phones.add(number)
        writes.phones.append((contact_id, number, label))
        changes.append(gettext("phone %(number)s") % {"number": number})
    new_tags = [tag for tag in normalize_tags(record.tags) if tag not in entry.tags]
    new_tags = _room_for(new_tags, entry, "tags", report)
    if new_tags:
        entry.tags.update(new_tags)
        writes.tags.append((contact_id, new_tags))
        changes.append(gettext("tags"))
    return changes


def _plan_career(
    writes: _Writes, entry: Known, record: PersonRecord, *, today: date, report: ImportReport
) -> list[str]:
    """The career rule of contacts.careers applied to the row's company and title."""
    current = entry.current
    move = imported_move(current, record.company, record.title)
    if move is None and current is not None:
        current.title = record.title
        writes.titled.append(Position(pk=current.pk, title=record.title))
        return [pgettext("job title", "title")]
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
        return [gettext("current position")]
    writes.to_close.append(current.pk)
    report.job_changes.append(
        {
            "id": entry.values["id"],
            "name": entry.full_name,
            "line": record.line,
            "move": move.value,
            "move_label": str(move.label),  # in the language the job runs in
            "from": str(current.as_position() if isinstance(current, Current) else current),
            "to": str(new),
        }
    )
    return [mid_sentence(move.label)]


def _pk(ref: ContactRef) -> int:
    return ref if isinstance(ref, int) else ref["id"]


def _close_positions(ids: list[int], *, ended: date) -> None:
    """End positions the day before the new job was detected, never before they began."""
    for start in range(0, len(ids), BATCH):
        chunk = Position.objects.filter(pk__in=ids[start : start + BATCH])
        chunk.filter(start_date__gt=ended).update(end_date=F("start_date"))
        chunk.filter(end_date__isnull=True).update(end_date=ended)


def _same_as(line: int | None) -> str:
    return gettext("Same person as line %(line)s.") % {"line": line}
