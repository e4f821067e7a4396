"""The vCard lines Rapport writes for a contact: one mapping for the vCard export and for
phone sync (carddav), read back by contacts/importers/vcard.py."""

from typing import Any

from contacts.export_documents import current_job


def escape_text(value: str) -> str:
    """A vCard TEXT value: a line break of any kind (a lone CR too, which readers also
    take for the end of a line) becomes the two characters \\n, never a new property."""
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    if len(encoded) == len(line):
        # ASCII (a photo's base64 above all): one octet a character, cut by slicing.
        pieces = [line[:75], *(line[at : at + 74] for at in range(75, len(line), 74))]
        return "\r\n ".join(pieces) + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def type_param(label: str, version: str, default: str) -> str:
    kind = (label or default).lower()
    if not kind.isalnum():
        return ""
    return f";TYPE={kind}" if version == "4.0" else f";type={kind.upper()}"


def _birthday(birthday: str, version: str) -> str:
    if birthday.startswith("--"):
        month, day = birthday[2:4], birthday[5:7]
        if version == "4.0":
            return f"BDAY:--{month}{day}"
        # Apple's convention for a birthday without a year; Google reads it too.
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month}-{day}"
    return f"BDAY:{birthday}"


def vcard_lines(
    document: dict[str, Any], version: str = "3.0", *, group: str = "item1"
) -> list[tuple[str, str]]:
    """The card's properties as (key, line) pairs, unfolded, without BEGIN/VERSION/END.

    The key names what the line says ("N", "EMAIL:<address>", "TEL:<number>", ...), so
    phone sync can tell which of Rapport's values a phone's own line stands for.
    `group` prefixes the LinkedIn URL and its label (Apple's way of labelling a URL).
    """
    first, last = document["first_name"], document["last_name"]
    lines = [
        ("N", f"N:{escape_text(last)};{escape_text(first)};;;"),
        ("FN", f"FN:{escape_text(' '.join(part for part in (first, last) if part))}"),
    ]
    current = current_job(document)
    if current and current["company"]:
        lines.append(("ORG", f"ORG:{escape_text(current['company'])}"))
    if current and current["title"]:
        lines.append(("TITLE", f"TITLE:{escape_text(current['title'])}"))
    for email in document["emails"]:
        param = type_param(email["label"], version, "internet")
        lines.append((f"EMAIL:{email['email']}", f"EMAIL{param}:{escape_text(email['email'])}"))
    for phone in document["phones"]:
        param = type_param(phone["label"], version, "voice")
        lines.append((f"TEL:{phone['number']}", f"TEL{param}:{escape_text(phone['number'])}"))
    if document["linkedin_url"]:
        # A URI is not escaped like text, but must not break the line either.
        lines.append(("URL", f"{group}.URL:{''.join(document['linkedin_url'].split())}"))
        lines.append(("URL", f"{group}.X-ABLabel:LinkedIn"))
    if document["birthday"]:
        lines.append(("BDAY", _birthday(document["birthday"], version)))
    if document["tags"]:
        categories = ",".join(escape_text(t) for t in document["tags"])
        lines.append(("CATEGORIES", f"CATEGORIES:{categories}"))
    if document["notes"]:
        lines.append(("NOTE", f"NOTE:{escape_text(document['notes'])}"))
    if document.get("photo"):
        # The JPEG inline, as both versions write it (and contacts.importers.vcard reads).
        if version == "4.0":
            lines.append(("PHOTO", f"PHOTO:data:image/jpeg;base64,{document['photo']}"))
        else:
            lines.append(("PHOTO", f"PHOTO;ENCODING=b;TYPE=JPEG:{document['photo']}"))
    return lines
