"""vCards for phone sync: Rapport's own lines (contacts.vcard_writer.vcard_lines) plus what
the phone sent, and the phone's card read back (contacts.importers.vcard.card_record).

One mapping both ways: the vCard import reads what a phone PUTs, the export writes what
a phone GETs. What Rapport has no field for travels alongside, untouched.
"""

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import vobject

from contacts.importers.base import PersonRecord
from contacts.importers.vcard import FOLD, card_record, keep_commas, take_photo, unescape
from contacts.normalize import InvalidLinkedInURL, normalize_email, normalize_linkedin_url
from contacts.vcard_writer import fold, vcard_lines

VERSIONS = ("3.0", "4.0")
PRODID = "PRODID:-//Rapport//Phone sync//EN"
PROPERTY = re.compile(r"^(?:([\w-]+)\.)?([\w-]+)([;:].*)$", re.DOTALL)
# Properties Rapport reads into its own fields; everything else is kept as sent.
KNOWN = {"N", "FN", "EMAIL", "TEL", "ORG", "TITLE", "BDAY", "NOTE", "CATEGORIES", "PHOTO"}
# Written afresh by Rapport on every card.
DROPPED = {"VERSION", "UID", "PRODID", "REV", "BEGIN", "END"}
# The `sig` of a phone's TITLE kept while Rapport has no current job to hold it.
NO_JOB = "no-job"
JOB_KEYS = {"ORG", "TITLE"}


class CardError(ValueError):
    """A PUT body that is not one readable vCard; the message says why."""


@dataclass
class PhoneCard:
    """One card as a phone sent it, split into what Rapport reads and what it keeps."""

    uid: str
    version: str
    record: PersonRecord
    # Rapport-read lines by key ("N", "EMAIL:<address>", ...), unfolded, as sent.
    lines: dict[str, list[str]] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)


def _value(rest: str) -> str:
    """The value of a property line (after the first colon outside quotes)."""
    in_quotes = False
    for index, char in enumerate(rest):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            return rest[index + 1 :]
    return ""


def _is_linkedin(value: str) -> bool:
    try:
        normalize_linkedin_url(unescape(value.strip()))
    except InvalidLinkedInURL:
        return False
    return True


def _key(name: str, rest: str) -> str:
    value = _value(rest)
    if name == "EMAIL":
        return "EMAIL:" + normalize_email(unescape(value).strip()).removeprefix("mailto:")
    if name == "TEL":
        return "TEL:" + re.sub(r"^tel:", "", unescape(value).strip(), flags=re.IGNORECASE)
    return name


def parse_card(body: bytes) -> PhoneCard:
    """Read one vCard 3.0 or 4.0 from a PUT body; CardError if it is not one."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CardError("The card is not UTF-8 text.") from error
    lines = [line for line in FOLD.sub("", text).replace("\r\n", "\n").split("\n") if line]
    begins = [i for i, line in enumerate(lines) if line.strip().upper() == "BEGIN:VCARD"]
    ends = [i for i, line in enumerate(lines) if line.strip().upper() == "END:VCARD"]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise CardError("Send exactly one BEGIN:VCARD … END:VCARD block.")
    uid, version = "", "3.0"
    known: list[tuple[str | None, str, str]] = []  # (group, name, line)
    extra: list[tuple[str | None, str]] = []
    for line in lines[begins[0] + 1 : ends[0]]:
        match = PROPERTY.match(line)
        if match is None:
            raise CardError(f"Unreadable line in the card: {line[:60]!r}")
        group, name, rest = match.group(1), match.group(2).upper(), match.group(3)
        if name == "UID":
            uid = _value(rest).strip()
        elif name == "VERSION":
            version = _value(rest).strip()
        elif name in DROPPED:
            continue
        elif name in KNOWN or (name == "URL" and _is_linkedin(_value(rest))):
            known.append((group, name, line))
        else:
            extra.append((group, line))
    if version not in VERSIONS:
        raise CardError("Only vCard 3.0 and 4.0 cards can be synced.")
    if not uid or len(uid) > 255:
        raise CardError("The card needs a UID (at most 255 characters).")
    return _split(uid, version, known, extra)


def _split(
    uid: str,
    version: str,
    known: list[tuple[str | None, str, str]],
    extra: list[tuple[str | None, str]],
) -> PhoneCard:
    # A group's label (item1.X-ABLabel) goes with the group's property: with the kept
    # lines when Rapport reads that property, with the extra lines otherwise.
    known_groups = {group.lower(): name for group, name, _ in known if group}
    card = PhoneCard(uid=uid, version=version, record=PersonRecord(line=1))
    group_keys: dict[str, str] = {}
    for group, name, line in known:
        key = _key(name, PROPERTY.match(line).group(3))  # type: ignore[union-attr]  # matched above
        card.lines.setdefault(key, []).append(line)
        if group:
            group_keys[group.lower()] = key
    readable = [line for _, _, line in known]
    for group, line in extra:
        if group and group.lower() in known_groups:
            card.lines[group_keys[group.lower()]].append(line)
            readable.append(line)
        else:
            card.extra.append(line)
    card.record = _record(version, readable)
    return card


def _record(version: str, lines: list[str]) -> PersonRecord:
    chunk = "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"
    try:
        chunk, photo = take_photo(chunk)
        parsed = vobject.readOne(keep_commas(chunk), ignoreUnreadable=True)
        record = card_record(parsed, 1)
    except Exception as error:  # vobject raises many kinds for broken cards
        raise CardError(f"Unreadable card: {error}"[:200]) from error
    record.photo = photo
    if not record.full_name:
        raise CardError("The card has no name and no company.")
    return record


def _digest(lines: list[str]) -> str:
    """Rapport's lines for one key, told apart from other values but not by group name
    (which changes with the phone's own groups)."""
    bare = [re.sub(r"^[\w-]+\.", "", line) for line in lines]
    return hashlib.sha256("\n".join(bare).encode()).hexdigest()[:16]


def own_lines(document: dict[str, Any], version: str, group: str = "item1") -> dict[str, list[str]]:
    """Rapport's lines for a contact, by key, in the order they are written."""
    grouped: dict[str, list[str]] = {}
    for key, line in vcard_lines(document, version, group=group):
        grouped.setdefault(key, []).append(line)
    return grouped


def kept_lines(phone: PhoneCard, own: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """The phone's own lines for values Rapport also holds, each with a digest of Rapport's
    line at the time: while that digest still matches, the phone's line goes back."""
    kept = {
        key: {"sig": _digest(own[key]), "lines": lines}
        for key, lines in phone.lines.items()
        if key in own
    }
    if "TITLE" in phone.lines and not own.keys() & JOB_KEYS:
        # A title without a company records no job (the import rule): the phone's line
        # is kept and goes back as sent while Rapport has no current job.
        kept["TITLE"] = {"sig": NO_JOB, "lines": phone.lines["TITLE"]}
    return kept


def _free_group(used: set[str]) -> str:
    number = 1
    while f"item{number}" in used:
        number += 1
    return f"item{number}"


def render_card(
    document: dict[str, Any],
    *,
    uid: str,
    version: str = "3.0",
    kept: dict[str, dict[str, Any]] | None = None,
    kept_version: str = "",
    extra: str = "",
) -> str:
    """The whole card a phone GETs."""
    extra_lines = [line for line in extra.split("\n") if line]
    kept = kept or {}
    used = {
        match.group(1).lower()
        for line in extra_lines + [ln for entry in kept.values() for ln in entry["lines"]]
        if (match := PROPERTY.match(line)) and match.group(1)
    }
    lines = ["BEGIN:VCARD", f"VERSION:{version}", PRODID, f"UID:{uid}"]
    own_by_key = own_lines(document, version, _free_group(used))
    for key, own in own_by_key.items():
        entry = kept.get(key)
        if entry and kept_version == version and entry["sig"] == _digest(own):
            lines += entry["lines"]
        else:
            lines += own
    title = kept.get("TITLE")
    if title and title["sig"] == NO_JOB and not own_by_key.keys() & JOB_KEYS:
        lines += title["lines"]
    lines += extra_lines
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def etag_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
