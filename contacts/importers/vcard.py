"""vCard 3.0 and 4.0 (2.1 tolerated), read with vobject one card at a time."""

import base64
import binascii
import re
from typing import Any

import vobject
from django.utils.translation import gettext

from contacts.importers.base import (
    ImportFileError,
    ParsedFile,
    PersonRecord,
    check_row_count,
    decode_text,
)
from contacts.normalize import InvalidLinkedInURL, normalize_email, normalize_linkedin_url
from contacts.photos import MAX_BYTES as MAX_PHOTO_BYTES

BEGIN = re.compile(r"^\s*BEGIN:VCARD\s*$", re.IGNORECASE)
END = re.compile(r"^\s*END:VCARD\s*$", re.IGNORECASE)
# vCard 2.1 quoted-printable: on a line with this marker, a trailing "=" (a soft line
# break) continues the value on the next line. 2.1 also allows the bare parameter
# (`NOTE;QUOTED-PRINTABLE:`); only the part before the value is looked at.
QP_MARKER = re.compile(r"^[^:]*;\s*(?:ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*[;:]", re.IGNORECASE)
# Properties read as one text value. vobject keeps only the text before the first
# unescaped comma, and vCard 2.1 (Outlook) and many 3.0 writers do not escape them.
SINGLE_TEXT = re.compile(
    r"^((?:[\w-]+\.)?(?:FN|NOTE|TITLE|ROLE|EMAIL|TEL|BDAY|X-ABLABEL)(?:;[^:]*)?:)(.*)$",
    re.IGNORECASE,
)
ESCAPE_OR_COMMA = re.compile(r"\\.|,")
FOLD = re.compile(r"\r?\n[ \t]")
# Text escapes (RFC 6350 3.4). Google Contacts also escapes the colon in URLs
# (`https\://www.linkedin.com/in/…`), which vobject leaves in for URL values.
TEXT_ESCAPE = re.compile(r"\\([\\,;:nN])")
PROPERTY = re.compile(r"^[\w.-]+[;:]")
MEDIA = re.compile(r"^(?:[\w-]+\.)?(?:LOGO|SOUND)[;:]", re.IGNORECASE)
PHOTO = re.compile(r"^(?:[\w-]+\.)?PHOTO[;:]", re.IGNORECASE)
# A PHOTO longer than this (base64 of the largest photo accepted) is left out unread.
PHOTO_MAX_CHARS = MAX_PHOTO_BYTES * 4 // 3 + 1024
BIRTHDAY = re.compile(r"^(?:(\d{4})-?|--)(\d{2})-?(\d{2})")
# Apple writes year-less birthdays with this placeholder year.
APPLE_NO_YEAR = "1604"
# Google Contacts puts every contact in this group; as a tag it would say nothing.
GOOGLE_SYSTEM_GROUPS = {"mycontacts"}
LABELS = {"work", "home", "cell", "mobile", "main", "iphone", "fax", "other", "pager"}


def _split_cards(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each BEGIN..END block; unbalanced blocks are errors."""
    cards: list[tuple[int, str]] = []
    start: int | None = None
    buffer: list[str] = []
    skipping = False
    photo_at: int | None = None  # where the PHOTO being read starts in `buffer`
    photo_chars = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if photo_at is not None:
            # A photo is kept (folded lines and all) up to the size a photo may have;
            # a larger one, or vCard 2.1 base64 on bare lines, is dropped and skipped.
            if line[:1] in (" ", "\t"):
                photo_chars += len(line)
                if photo_chars <= PHOTO_MAX_CHARS:
                    buffer.append(line)
                    continue
                del buffer[photo_at:]
                photo_at, skipping = None, True
                continue
            if line.strip() and not PROPERTY.match(line):
                del buffer[photo_at:]
                photo_at, skipping = None, True
                continue
            photo_at = None
        if skipping:
            # Media data continues on folded lines, or (vCard 2.1 base64) on bare lines up
            # to a blank one; base64 never holds ":" or ";", so the next property ends it.
            if not line.strip():
                skipping = False
                continue
            if line[:1] in (" ", "\t") or not PROPERTY.match(line):
                continue
            skipping = False
        if start is not None and PHOTO.match(line):
            photo_at, photo_chars = len(buffer), len(line)
            if photo_chars <= PHOTO_MAX_CHARS:
                buffer.append(line)
            else:
                photo_at, skipping = None, True
            continue
        if start is not None and MEDIA.match(line):
            skipping = True  # logos and sounds are not imported
            continue
        if BEGIN.match(line):
            if start is not None:
                raise ImportFileError(
                    gettext("Malformed vCard: the card starting on line %(line)s has no END:VCARD.")
                    % {"line": start}
                )
            start, buffer = number, [line]
        elif END.match(line):
            if start is None:
                raise ImportFileError(
                    gettext("Malformed vCard: END:VCARD on line %(line)s has no BEGIN.")
                    % {"line": number}
                )
            buffer.append(line)
            cards.append((start, "\r\n".join(buffer) + "\r\n"))
            start = None
        elif start is not None:
            buffer.append(line)
    if start is not None:
        raise ImportFileError(
            gettext("Malformed vCard: the card starting on line %(line)s has no END:VCARD.")
            % {"line": start}
        )
    if not cards:
        raise ImportFileError(
            gettext("No vCards found: the file has no BEGIN:VCARD … END:VCARD block.")
        )
    return cards


def join_soft_breaks(text: str) -> str:
    """Join quoted-printable values continued over several lines, in one pass.

    One pass over the lines, so a value continued over a million lines (a hostile
    file) costs a million steps, not a million passes over the whole text.
    """
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if QP_MARKER.search(line):
            pieces: list[str] = []
            while index + 1 < len(lines) and line.endswith(("=", "=\r")):
                pieces.append(line[: -2 if line.endswith("\r") else -1])
                index += 1
                line = lines[index]
            pieces.append(line)
            line = "".join(pieces)
        out.append(line)
        index += 1
    return "\n".join(out)


def keep_commas(card: str) -> str:
    """Escape the bare commas of single-valued text properties, so vobject keeps them.

    The card is unfolded first: a fold may fall between a backslash and its comma.
    """
    lines = FOLD.sub("", card).split("\r\n")
    for index, line in enumerate(lines):
        match = SINGLE_TEXT.match(line)
        if match and "," in match.group(2):
            value = ESCAPE_OR_COMMA.sub(
                lambda m: "\\," if m.group() == "," else m.group(), match.group(2)
            )
            lines[index] = match.group(1) + value
    return "\r\n".join(lines)


def unescape(value: str) -> str:
    r"""A URL's text escapes undone: `https\://…` is `https://…`."""
    return TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, bytes):
        return ""
    return str(value or "").strip()


def _label(prop: Any, group_labels: dict[str, str]) -> str:
    if prop.group and prop.group.lower() in group_labels:
        return group_labels[prop.group.lower()][:30]
    types = [t.lower() for t in prop.params.get("TYPE", []) + list(prop.singletonparams)]
    for kind in types:
        for part in kind.split(","):
            if part in LABELS:
                return part
    return ""


def parse_birthday(prop: Any) -> tuple[int | None, int, int] | None:
    value = _text(prop.value)
    match = BIRTHDAY.match(value)
    if not match:
        return None
    year_text, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    omit = prop.params.get("X-APPLE-OMIT-YEAR", [])
    year = (
        None if not year_text or year_text in omit or year_text == APPLE_NO_YEAR else int(year_text)
    )
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


PHOTO_LINE = re.compile(r"^(?:[\w-]+\.)?PHOTO([;:].*)$", re.IGNORECASE | re.MULTILINE)


def take_photo(chunk: str) -> tuple[str, bytes]:
    """The card without its PHOTO line, and the photo's image bytes (b"" if none).

    Read here rather than by vobject, which cuts a vCard 4.0 data: URI at its comma.
    Inline base64 (3.0: ENCODING=b) and data: URIs (4.0) are read; a photo given as a
    web address is left out: an import never fetches anything.
    """
    unfolded = FOLD.sub("", chunk)
    match = PHOTO_LINE.search(unfolded)
    if match is None:
        return chunk, b""
    params, _, value = match.group(1).partition(":")
    rest = unfolded[: match.start()] + unfolded[match.end() :].lstrip("\r\n")
    return rest, photo_bytes(params, value)


def photo_bytes(params: str, value: str) -> bytes:
    value = value.strip()
    data = re.match(r"data:image/[\w.+-]+;base64,(.*)$", value, flags=re.IGNORECASE)
    if data:
        encoded = data.group(1)
    elif re.search(r"ENCODING=(b|BASE64)", params, flags=re.IGNORECASE):
        encoded = value
    else:
        return b""
    try:
        return base64.b64decode(re.sub(r"\s+", "", encoded), validate=True)
    except (binascii.Error, ValueError):
        return b""


def card_record(card: Any, line: int) -> PersonRecord:
    record = PersonRecord(line=line)
    group_labels = {
        prop.group.lower(): _text(prop.value).strip("_$!<>").lower()
        for prop in card.getChildren()
        if prop.group and prop.name == "X-ABLABEL"
    }
    urls: list[str] = []
    for prop in card.getChildren():
        name = prop.name
        if name == "N":
            record.first_name = " ".join(
                p for p in (_text(prop.value.given), _text(prop.value.additional)) if p
            )
            record.last_name = _text(prop.value.family)
        elif name == "EMAIL":
            address = normalize_email(_text(prop.value))
            if address.startswith("mailto:"):
                address = address.removeprefix("mailto:")
            if address:
                record.emails.append((address, _label(prop, group_labels)))
        elif name == "TEL":
            # vCard 4.0 may write the number as a URI (TEL;VALUE=uri:tel:+1-555-0100).
            number = re.sub(r"^tel:", "", _text(prop.value), flags=re.IGNORECASE)
            if number:
                record.phones.append((number, _label(prop, group_labels)))
        elif name == "URL" or name == "X-SOCIALPROFILE":
            urls.append(unescape(_text(prop.value)))
        elif name == "ORG":
            parts = prop.value if isinstance(prop.value, list) else [prop.value]
            record.company = _text(parts[0] if parts else "")
        elif name == "TITLE":
            record.title = _text(prop.value)
        elif name == "BDAY":
            record.birthday = parse_birthday(prop)
        elif name == "NOTE":
            # Quoted-printable notes (Outlook) carry Windows line ends as =0D=0A.
            record.notes = _text(prop.value).replace("\r\n", "\n")
        elif name == "CATEGORIES":
            values = prop.value if isinstance(prop.value, list) else str(prop.value).split(",")
            record.tags += [
                str(v).strip()
                for v in values
                if str(v).strip() and str(v).strip().lower() not in GOOGLE_SYSTEM_GROUPS
            ]
    if not (record.first_name or record.last_name):
        full = _text(card.fn.value) if hasattr(card, "fn") else ""
        if full:
            first, _, last = full.rpartition(" ")
            record.first_name, record.last_name = (first, last) if first else (full, "")
        elif record.company:
            record.first_name = record.company  # an ORG-only card is a company
    other_urls = []
    for url in urls:
        try:
            linkedin = normalize_linkedin_url(url)
        except InvalidLinkedInURL:
            other_urls.append(url)
            continue
        if record.linkedin_url and linkedin != record.linkedin_url:
            other_urls.append(url)
        record.linkedin_url = record.linkedin_url or linkedin
    if other_urls:
        # The model keeps one LinkedIn URL; other web addresses stay in the notes.
        lines = "\n".join(f"Web: {url}" for url in other_urls)
        record.notes = f"{record.notes}\n{lines}".strip()
    return record


def parse_vcards(data: bytes) -> ParsedFile:
    text, warnings = decode_text(data, what=gettext("vCard file"))
    text = join_soft_breaks(text)
    parsed = ParsedFile(records=[], warnings=warnings)
    cards = _split_cards(text)
    check_row_count(len(cards))  # before vobject reads each card (the slow part)
    for line, chunk in cards:
        try:
            chunk, photo = take_photo(chunk)
            card = vobject.readOne(keep_commas(chunk), ignoreUnreadable=True)
            record = card_record(card, line)
            record.photo = photo
        except Exception as exc:  # vobject raises many kinds for broken cards
            parsed.skipped.append(
                {
                    "line": line,
                    "reason": (gettext("Unreadable card: %(error)s") % {"error": exc})[:200],
                }
            )
            continue
        if not record.full_name:
            parsed.skipped.append(
                {"line": line, "reason": gettext("Card has no name and no company.")}
            )
            continue
        parsed.records.append(record)
    return parsed
