"""Google Contacts' "Google CSV" export, in its current and its older column names.

Numbered groups of columns (`E-mail 1 - Label`, `E-mail 1 - Value`; older exports
say `Type` for `Label`) hold several values each, and one cell may hold several
values joined with " ::: ". Emails, phones, the LinkedIn profile, the first
organisation, the birthday (with or without a year), labels (as tags) and notes
land in Rapport's fields; everything else is kept in the notes under
"From Google: …".
"""

import re
from functools import lru_cache

from django.utils.translation import gettext

from contacts.importers.base import ImportFileError, ParsedFile, PersonRecord
from contacts.importers.sections import Sections, fill_person, fill_website, finish, parse_sheet
from contacts.normalize import normalize_email

NUMBERED = re.compile(r"^(.+?) (\d+) - (Label|Type|Value|.+)$")
MULTI = re.compile(r"\s*:::\s*")
SINGLE = {
    "first name": "first",
    "given name": "first",
    "middle name": "middle",
    "additional name": "middle",
    "last name": "last",
    "family name": "last",
    "name": "name",
    "organization name": "company",
    "organization title": "title",
    "birthday": "birthday",
    "notes": "notes",
    "labels": "tags",
    "group membership": "tags",
}
# Google's own groups: every contact is in "My Contacts", which as a tag says nothing.
SYSTEM_GROUPS = {"mycontacts", "my contacts"}
HEADINGS = {
    "address": "addresses",
    "website": "websites",
    "relation": "relations",
    "event": "events",
    "custom field": "custom fields",
    "im": "instant messaging",
    "organization": "other organisations",
}


def _split(value: str) -> list[str]:
    return [part for part in MULTI.split(value.strip()) if part]


def _label(value: str) -> str:
    return value.strip().lstrip("* ").strip().lower()


# What each column of a header is: a numbered group's (kind, n, part), or a single field.
Column = tuple[int, str, tuple[str, int, str] | None]


@lru_cache(maxsize=8)
def _layout(header: tuple[str, ...]) -> tuple[Column, ...]:
    """Read once per file: matching 40 column names on each of 20,000 rows costs seconds."""
    columns = []
    for index, name in enumerate(header):
        match = NUMBERED.match(name)
        group = None
        if match:
            kind = match.group(1).lower().replace("e-mail", "email")
            group = (kind, int(match.group(2)), match.group(3).lower().replace("type", "label"))
        columns.append((index, name, group))
    return tuple(columns)


def _groups(header: list[str], row: list[str]) -> dict[tuple[str, int], dict[str, str]]:
    """The numbered columns of a row: (kind, n) -> {"label": …, "value": …, "city": …}."""
    groups: dict[tuple[str, int], dict[str, str]] = {}
    for index, _, group in _layout(tuple(header)):
        if group and (cell := row[index].strip()):
            groups.setdefault(group[:2], {})[group[2]] = cell
    return groups


def _group(record: PersonRecord, notes: Sections, kind: str, values: dict[str, str]) -> None:
    label = _label(values.pop("label", ""))
    if kind == "email":
        for address in _split(values.get("value", "")):
            record.emails.append((normalize_email(address), label))
            record.fields_mapped += 1
    elif kind == "phone":
        for number in _split(values.get("value", "")):
            record.phones.append((number, label))
            record.fields_mapped += 1
    elif kind == "organization" and not (record.company or record.title):
        record.company, record.title = values.pop("name", ""), values.pop("title", "")
        record.fields_mapped += bool(record.company) + bool(record.title)
        _rest(notes, "other organisations", label, values)
    elif kind == "website":
        for url in _split(values.get("value", "")):
            fill_website(record, notes, url, label.title())
    elif kind == "address" and "formatted" in values:
        for address in _split(values["formatted"]):
            notes.keep("addresses", f"{label.title() or 'Address'}: {' '.join(address.split())}")
    else:
        _rest(notes, HEADINGS.get(kind, kind + "s"), label, values)


def _rest(notes: Sections, heading: str, label: str, values: dict[str, str]) -> None:
    if values:
        text = ", ".join(v if k == "value" else f"{k}: {v}" for k, v in values.items())
        notes.keep(heading, f"{label.title()}: {text}" if label else text)


def _row_record(header: list[str], row: list[str], line: int, warnings: list[str]) -> PersonRecord:
    record, notes = PersonRecord(line=line), Sections("Google")
    single: dict[str, str] = {}
    for index, name, group in _layout(tuple(header)):
        cell = row[index].strip()
        if not cell or group:
            continue
        key = SINGLE.get(name.lower())
        if key is None:
            notes.keep("other fields", f"{name}: {cell}")
        else:
            single[key] = cell
    tags = [_label(t) for t in _split(single.get("tags", "")) if _label(t) not in SYSTEM_GROUPS]
    fill_person(record, notes, single, tags=tags, warnings=warnings)
    if not record.full_name and single.get("name"):
        record.first_name = single["name"]
    for (kind, _), values in sorted(_groups(header, row).items()):
        _group(record, notes, kind, values)
    finish(record, notes)
    return record


def _check(header: list[str]) -> None:
    lowered = {name.lower() for name in header}
    if not lowered & {"first name", "given name", "name"} or not any(
        NUMBERED.match(name) for name in header
    ):
        raise ImportFileError(
            gettext(
                "This is not a Google Contacts CSV: the first row should name columns such as "
                "“First Name” and “E-mail 1 - Value”. In Google Contacts, choose Export → "
                "Google CSV."
            )
        )


def parse_google_csv(data: bytes) -> ParsedFile:
    what = gettext("Google Contacts CSV")
    return parse_sheet(data, what=what, check=_check, read=_row_record, origin="google")
