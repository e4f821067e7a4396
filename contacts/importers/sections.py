"""What the Monica, Google and Outlook importers share: reading a CSV export, keeping
the fields Rapport has no place for in the notes under a heading naming their origin
("From Google: addresses"), counting what landed where, and the ids of rows that
carry none of their own.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext

from contacts.importers.base import ImportFileError, ParsedFile, PersonRecord, decode_text
from contacts.normalize import InvalidLinkedInURL, normalize_linkedin_url, normalize_name

ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
NO_YEAR_DAY = re.compile(r"^--(\d{1,2})-?(\d{1,2})$")
US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


class Sections:
    """The "From <origin>: <heading>" blocks of one person's notes."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.blocks: dict[str, list[str]] = {}

    def keep(self, heading: str, line: str) -> None:
        line = line.strip()
        if line:
            self.blocks.setdefault(heading, []).append(line)

    def apply(self, record: PersonRecord) -> None:
        """Append the blocks to the record's notes and count them."""
        record.notes_append = True
        if not self.blocks:
            return
        text = "\n\n".join(
            f"From {self.origin}: {heading}\n" + "\n".join(lines)
            for heading, lines in self.blocks.items()
        )
        record.notes = f"{record.notes.strip()}\n\n{text}" if record.notes.strip() else text
        for heading, lines in self.blocks.items():
            name = f"From {self.origin}: {heading}"
            record.fields_in_notes[name] = record.fields_in_notes.get(name, 0) + len(lines)


def field_counts(records: list[PersonRecord]) -> dict[str, Any]:
    """For the report: how many source fields landed in Rapport fields, and in the notes."""
    headings: Counter[str] = Counter()
    for record in records:
        headings.update(record.fields_in_notes)
    return {
        "mapped": sum(record.fields_mapped for record in records),
        "in_notes": sum(headings.values()),
        "headings": dict(sorted(headings.items())),
    }


def fingerprint_ids(records: list[PersonRecord], origin: str) -> None:
    """Give each row an id of its own for re-imports: Google and Outlook CSVs have none.

    Built from what the row says (name, first phone, company), numbered when rows say
    the same, so importing the same export again finds every row's contact.
    """
    seen: Counter[str] = Counter()
    for record in records:
        phone = record.phones[0][0] if record.phones else ""
        base = "|".join(
            (normalize_name(record.full_name), re.sub(r"\D", "", phone), record.company.lower())
        )
        seen[base] += 1
        record.source_id = f"{origin}:{base}#{seen[base]}"[:200]


def read_sheet(
    data: bytes, *, what: str
) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """(header, [(line, cells)], warnings) of a CSV export; ImportFileError if unreadable."""
    text, warnings = decode_text(data, what=what)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ImportFileError(
            gettext("The %(what)s could not be read at line %(line)s: %(error)s.")
            % {"what": what, "line": reader.line_num, "error": exc}
        ) from None
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(gettext("The %(what)s is empty.") % {"what": what})
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0][1]]
    body = [(line, row + [""] * (len(header) - len(row))) for line, row in rows[1:]]
    return header, body, warnings


def parse_day(value: str) -> tuple[int | None, int, int] | None:
    """A birthday as (year or None, month, day): 1985-04-02, --04-02, 4/2/1985; None if not."""
    value = value.strip()
    if match := ISO_DAY.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := NO_YEAR_DAY.match(value):
        year, month, day = 0, int(match.group(1)), int(match.group(2))
    elif match := US_DAY.match(value):
        month, day, year = (int(part) for part in match.groups())
        year = year if year >= 100 else 0  # "4/2/85": which century is not said
    else:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (year or None), month, day


SINGLE_FIELDS = ("first", "middle", "last", "company", "title", "notes")
RowReader = Callable[[list[str], list[str], int, list[str]], PersonRecord]


def fill_single(record: PersonRecord, single: dict[str, str]) -> None:
    """The one-value fields of a CSV row (names, work, notes), counted as mapped."""
    record.first_name = " ".join(p for p in (single.get("first"), single.get("middle")) if p)
    record.last_name = single.get("last", "")
    record.company, record.title = single.get("company", ""), single.get("title", "")
    record.notes = single.get("notes", "").replace("\r\n", "\n")
    record.fields_mapped += sum(bool(single.get(key)) for key in SINGLE_FIELDS)


def fill_person(
    record: PersonRecord,
    notes: Sections,
    single: dict[str, str],
    *,
    tags: list[str],
    warnings: list[str],
) -> None:
    """The one-value fields, the tags and the birthday of a CSV row, counted as mapped."""
    fill_single(record, single)
    record.tags = tags
    record.fields_mapped += len(tags)
    fill_birthday(record, notes, single.get("birthday", ""), warnings)


def fill_birthday(record: PersonRecord, notes: Sections, value: str, warnings: list[str]) -> None:
    if not value:
        return
    record.birthday = parse_day(value)
    if record.birthday is None:
        warnings.append(
            gettext("Line %(line)s: birthday “%(value)s” not understood; kept in the notes.")
            % {"line": record.line, "value": value}
        )
        notes.keep("other fields", f"Birthday: {value}")
    else:
        record.fields_mapped += 1


def finish(record: PersonRecord, notes: Sections) -> None:
    """Drop empty addresses, name a nameless entry, and write the notes' sections."""
    record.emails = [(address, label) for address, label in record.emails if address]
    if not record.full_name:  # a company-only entry, as vCards have, or an address only
        record.first_name = record.company or (record.emails[0][0] if record.emails else "")
    notes.apply(record)


def parse_sheet(
    data: bytes,
    *,
    what: str,
    check: Callable[[list[str]], None],
    read: RowReader,
    origin: str,
) -> ParsedFile:
    """Every row of a CSV export read into a person (a row with nothing to name them by
    is skipped), once `check` has found the header this export's (else it raises
    ImportFileError)."""
    header, rows, warnings = read_sheet(data, what=what)
    check(header)
    parsed = ParsedFile(records=[], warnings=warnings)
    for line, row in rows:
        record = read(header, row, line, parsed.warnings)
        if record.full_name:
            parsed.records.append(record)
        else:
            parsed.skipped.append({"line": line, "reason": gettext("No name, email or company.")})
    fingerprint_ids(parsed.records, origin)
    return parsed


def fill_website(record: PersonRecord, notes: Sections, url: str, label: str) -> None:
    """The first LinkedIn profile becomes the contact's; other web addresses go to the notes."""
    try:
        linkedin = normalize_linkedin_url(url)
    except InvalidLinkedInURL:
        linkedin = ""
    if linkedin and not record.linkedin_url:
        record.linkedin_url = linkedin
        record.fields_mapped += 1
    else:
        notes.keep("websites", f"{label}: {url}" if label else url)
