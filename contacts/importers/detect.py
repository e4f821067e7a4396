"""Which kind of export an upload is, from its first bytes, for "Detect automatically"."""

import re

from django.utils.translation import gettext_lazy as _

from contacts.importers.base import ImportFileError
from contacts.models import ImportSource

AUTO = "auto"
CSV_HEADER_BYTES = 64 * 1024
NOT_RECOGNISED = _(
    "Rapport could not tell what kind of export this is. Choose it under “What are you "
    "importing?” (LinkedIn, vCard, Rapport backup, Google CSV, Outlook CSV or Monica)."
)


def _first_line(data: bytes) -> str:
    head = data[:CSV_HEADER_BYTES].decode("utf-8-sig", errors="replace").lstrip("\ufeff")
    for line in head.splitlines():
        if line.strip(" ,\t"):
            return line.lower()
    return ""


def detect_source(data: bytes) -> str:
    """The ImportSource of an upload; ImportFileError when it is none Rapport knows."""
    if data[:4] == b"PK\x03\x04":
        return ImportSource.LINKEDIN  # only LinkedIn's export comes as a ZIP
    head = data[:CSV_HEADER_BYTES].decode("utf-8-sig", errors="replace").lstrip()
    if re.match(r"begin:vcard", head, flags=re.IGNORECASE):
        return ImportSource.VCARD
    if head.startswith("{"):
        if re.search(r'"format"\s*:\s*"rapport"', head):
            return ImportSource.JSON
        if re.search(r'"account"\s*:', head) and re.search(r'"exported_by"|"app_version"', head):
            return ImportSource.MONICA
        raise ImportFileError(str(NOT_RECOGNISED))
    line = _first_line(data)
    if re.search(r"e-mail 1 - (value|type|label)|phone 1 - value|group membership", line):
        return ImportSource.GOOGLE_CSV
    if "e-mail address" in line and ("business phone" in line or "job title" in line):
        return ImportSource.OUTLOOK_CSV
    if "first name" in line or "notes:" in line or "connected on" in head[:4096].lower():
        return ImportSource.LINKEDIN
    raise ImportFileError(str(NOT_RECOGNISED))
