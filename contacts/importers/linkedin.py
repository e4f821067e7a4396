"""LinkedIn's Connections.csv, alone or inside the data-export ZIP."""

import csv
import io
import re
import zipfile
import zlib
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.importers.base import ImportFileError, ParsedFile, PersonRecord, decode_text
from contacts.normalize import (
    InvalidLinkedInURL,
    checked_length,
    normalize_email,
    normalize_linkedin_url,
)

# Header cells we recognise (lower-cased) and the record field each fills.
COLUMNS = {
    "first name": "first_name",
    "last name": "last_name",
    "url": "linkedin_url",
    "profile url": "linkedin_url",
    "email address": "email",
    "email": "email",
    "company": "company",
    "position": "title",
    "connected on": "connected_on",
}
REQUIRED = {"first_name", "last_name"}
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# Compression methods Python reads; LinkedIn uses deflate, but a ZIP re-packed on
# Windows may use deflate64, which it cannot.
READABLE_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
COMPRESSION_NAMES = {6: "Implode", 9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd"}
ENCRYPTED = 0x1  # bit 0 of a ZIP entry's flags
DAMAGED = _("The ZIP file is damaged or incomplete; download it again.")


def zip_member(archive: zipfile.ZipFile, basename: str) -> bytes | None:
    for info in archive.infolist():
        if info.filename.rsplit("/", 1)[-1].lower() == basename.lower() and not info.is_dir():
            # A small ZIP can unpack to gigabytes; refuse before reading it.
            if info.file_size > settings.IMPORT_MAX_BYTES:
                raise ImportFileError(
                    gettext("%(file)s in the ZIP is larger than the import limit (%(size)s MB).")
                    % {"file": basename, "size": f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f}"},
                    status=413,
                )
            if info.flag_bits & ENCRYPTED:
                raise ImportFileError(
                    gettext(
                        "%(file)s in the ZIP is password-protected. Unpack it yourself and "
                        "upload the CSV, or download the export again from LinkedIn."
                    )
                    % {"file": basename}
                )
            if info.compress_type not in READABLE_COMPRESSION:
                method = COMPRESSION_NAMES.get(info.compress_type) or gettext(
                    "method %(number)s"
                ) % {"number": info.compress_type}
                raise ImportFileError(
                    gettext(
                        "%(file)s in the ZIP is packed with %(method)s, which Rapport cannot "
                        "unpack. Unpack the ZIP yourself and upload the CSV."
                    )
                    % {"file": basename, "method": method}
                )
            try:
                return archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                # A bad CRC, a cut-off stream or garbled compressed data.
                raise ImportFileError(
                    gettext("%(file)s in the ZIP is damaged (%(error)s). %(advice)s")
                    % {"file": basename, "error": exc, "advice": DAMAGED}
                ) from None
    return None


def unpack_export(data: bytes) -> tuple[bytes, bytes | None]:
    """Connections.csv (and Invitations.csv if present) from LinkedIn's export ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            connections = zip_member(archive, "Connections.csv")
            invitations = zip_member(archive, "Invitations.csv")
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ImportFileError(str(DAMAGED)) from None
    if connections is None:
        raise ImportFileError(
            gettext(
                "This ZIP has no Connections.csv. Upload LinkedIn's data export "
                "(Settings → Data privacy → Get a copy of your data) or the CSV itself."
            )
        )
    return connections, invitations


MONTHS = {
    month: number
    for number, month in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# What LinkedIn writes: already canonical apart from case and a trailing slash.
CANONICAL_URL = re.compile(r"^https://www\.linkedin\.com/in/([^/?#\s]+)/?$", re.IGNORECASE)


def linkedin_url(value: str) -> str:
    """normalize_linkedin_url, with a fast path for the canonical form (30,000 rows)."""
    match = CANONICAL_URL.match(value)
    if match:
        return checked_length(f"https://www.linkedin.com/in/{match.group(1).lower()}")
    return normalize_linkedin_url(value)


def parse_date(value: str) -> date | None:
    value = value.strip()
    parts = value.split()
    if len(parts) == 3 and parts[1][:3].lower() in MONTHS:  # "14 Mar 2019", the usual case
        try:
            return date(int(parts[2]), MONTHS[parts[1][:3].lower()], int(parts[0]))
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The first row naming at least first and last name, wherever the preamble ends."""
    for index, row in enumerate(rows[:50]):
        mapping: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = COLUMNS.get(cell.strip().lstrip("\ufeff").lower())
            if key and key not in mapping:
                mapping[key] = position
        if mapping.keys() >= REQUIRED:
            return index, mapping
    raise ImportFileError(
        gettext(
            "No header row found. Connections.csv needs a row with “First Name” and “Last Name” "
            "columns (and usually URL, Email Address, Company, Position, Connected On)."
        )
    )


def parse_connections(data: bytes) -> ParsedFile:
    invitations = None
    if is_zip(data):
        data, invitations = unpack_export(data)
    text, warnings = decode_text(data, what=gettext("CSV file"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            gettext("The CSV file could not be read at line %(line)s: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from None
    header_index, columns = _find_header(rows)
    parsed = ParsedFile(records=[], warnings=warnings, invitations=invitations)
    width = max(columns.values()) + 1
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        line = index + 1
        if not any(cell.strip() for cell in row):
            continue  # blank or comma-only rows
        if len(row) < width:
            row = row + [""] * (width - len(row))
        cells = {key: row[position].strip() for key, position in columns.items()}
        record = PersonRecord(
            line=line,
            first_name=cells["first_name"],
            last_name=cells["last_name"],
            company=cells.get("company", ""),
            title=cells.get("title", ""),
        )
        if not record.full_name:
            parsed.skipped.append({"line": line, "reason": gettext("No first or last name.")})
            continue
        if url := cells.get("linkedin_url"):
            try:
                record.linkedin_url = linkedin_url(url)
            except InvalidLinkedInURL:
                parsed.warnings.append(
                    gettext("Line %(line)s: “%(url)s” is not a LinkedIn profile; ignored.")
                    % {"line": line, "url": url}
                )
        if (email := cells.get("email")) and "@" in email:
            record.emails.append((normalize_email(email), ""))
        if connected := cells.get("connected_on"):
            record.connected_on = parse_date(connected)
            if record.connected_on is None:
                parsed.warnings.append(
                    gettext("Line %(line)s: date “%(date)s” not understood; ignored.")
                    % {"line": line, "date": connected}
                )
        parsed.records.append(record)
    return parsed
