"""Outlook's CSV export (Outlook on the web, Outlook for Windows), English headers.

One column per field: up to three e-mail addresses, phones named by kind
("Mobile Phone", "Business Fax"), addresses split into Business/Home/Other
street, city, state, postal code and country. Names, emails, phones, company and
job title, the birthday, categories (as tags), a LinkedIn web page and notes
land in Rapport's fields; everything else is kept in the notes under
"From Outlook: …".
"""

import re

from django.utils.translation import gettext

from contacts.importers.base import ImportFileError, ParsedFile, PersonRecord
from contacts.importers.sections import Sections, fill_person, fill_website, finish, parse_sheet
from contacts.normalize import normalize_email

EMAIL = re.compile(r"^e-mail(?: (\d))? address$")
PHONE = re.compile(
    r"^(.*?) ?(phone|fax|pager|callback|telex|tty/tdd phone)( \d)?$|^pager$|^callback$"
)
ADDRESS = re.compile(
    r"^(business|home|other) (street(?: \d)?|city|state|postal code|country/region|po box)$"
)
ADDRESS_PARTS = ("street", "street 2", "street 3", "po box", "city", "state", "postal code")
SINGLE = {
    "first name": "first",
    "middle name": "middle",
    "last name": "last",
    "company": "company",
    "job title": "title",
    "birthday": "birthday",
    "notes": "notes",
    "categories": "tags",
}
WEB = {"web page", "personal web page", "business web page"}
# Outlook for Windows writes these defaults in every row; in these columns they say
# nothing (a last name "False" or "Normal" is kept, of course).
NO_DATE = {"0/0/00", "0/0/0000"}
DEFAULTS = {
    "birthday": NO_DATE,
    "anniversary": NO_DATE,
    "private": {"false"},
    "sensitivity": {"normal"},
    "priority": {"normal"},
    "gender": {"unspecified"},
    "e-mail type": {"smtp"},
    "e-mail 2 type": {"smtp"},
    "e-mail 3 type": {"smtp"},
}
CATEGORY_SPLIT = re.compile(r"\s*[;,]\s*")


def _phone_label(column: str) -> str:
    label = re.sub(r" ?(phone)?( \d)?$", "", column).strip()
    return {"business": "work", "mobile": "mobile", "car": "car"}.get(label, label)


def _address(notes: Sections, kind: str, parts: dict[str, str]) -> None:
    street = ", ".join(parts[p] for p in ADDRESS_PARTS[:4] if parts.get(p))
    place = " ".join(parts[p] for p in ("postal code", "city", "state") if parts.get(p))
    text = ", ".join(p for p in (street, place, parts.get("country/region", "")) if p)
    notes.keep("addresses", f"{kind.title()}: {' '.join(text.split())}")


def _cells(header: list[str], row: list[str]) -> list[tuple[str, str, str]]:
    """(column as written, lower-cased, value) of the row's non-empty cells."""
    return [
        (name, name.lower(), cell.strip())
        for name, cell in zip(header, row, strict=False)
        if cell.strip() and cell.strip().lower() not in DEFAULTS.get(name.lower(), ())
    ]


def _row_record(header: list[str], row: list[str], line: int, warnings: list[str]) -> PersonRecord:
    record, notes = PersonRecord(line=line), Sections("Outlook")
    single: dict[str, str] = {}
    addresses: dict[str, dict[str, str]] = {}
    for name, lower, value in _cells(header, row):
        if lower in SINGLE:
            single[SINGLE[lower]] = value
        elif EMAIL.match(lower):
            record.emails.append((normalize_email(value), ""))
            record.fields_mapped += 1
        elif match := ADDRESS.match(lower):
            addresses.setdefault(match.group(1), {})[match.group(2)] = value
        elif PHONE.match(lower):
            record.phones.append((value, _phone_label(lower)))
            record.fields_mapped += 1
        elif lower in WEB:
            fill_website(record, notes, value, name)
        else:
            notes.keep("other fields", f"{name}: {value}")
    for kind, parts in addresses.items():
        _address(notes, kind, parts)
    tags = [t for t in CATEGORY_SPLIT.split(single.get("tags", "")) if t]
    fill_person(record, notes, single, tags=tags, warnings=warnings)
    finish(record, notes)
    return record


def _check(header: list[str]) -> None:
    lowered = {name.lower() for name in header}
    if not {"first name", "last name"} <= lowered or "e-mail address" not in lowered:
        raise ImportFileError(
            gettext(
                "This is not an Outlook CSV: the first row should name columns such as "
                "“First Name”, “Last Name” and “E-mail Address” (Outlook's English export)."
            )
        )


def parse_outlook_csv(data: bytes) -> ParsedFile:
    what = gettext("Outlook CSV")
    return parse_sheet(data, what=what, check=_check, read=_row_record, origin="outlook")
