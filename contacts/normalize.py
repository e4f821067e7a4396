"""Normalising what people type or import, so that matching is exact."""

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.utils.translation import gettext

from contacts.limits import LINKEDIN_URL_MAX, TAG_LENGTH_MAX
from crm.formats import grouped

LINKEDIN_PROFILE = re.compile(r"^/(in|pub)/([^/?#]+)", re.IGNORECASE)


class InvalidLinkedInURL(ValueError):
    pass


def normalize_linkedin_url(value: str) -> str:
    """https://www.linkedin.com/in/<slug>, whatever the scheme, host, case or trailing bits.

    Raises InvalidLinkedInURL for anything that is not a LinkedIn profile.
    """
    raw = value.strip()
    if not raw:
        return ""
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:  # an unbalanced "[" reads as a broken IPv6 address
        raise InvalidLinkedInURL(
            gettext("Enter a LinkedIn profile address, like https://www.linkedin.com/in/name")
        ) from None
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise InvalidLinkedInURL(
            gettext("Enter a LinkedIn profile address, like https://www.linkedin.com/in/name")
        )
    match = LINKEDIN_PROFILE.match(parts.path)
    if not match:
        raise InvalidLinkedInURL(
            gettext("That is a LinkedIn address, but not a profile (…/in/name).")
        )
    return checked_length(f"https://www.linkedin.com/in/{match.group(2).lower()}")


def checked_length(url: str) -> str:
    """A normalised profile URL, refused when it would not fit the column.

    LinkedIn's own addresses are far shorter; a longer one is a pasted tracking link
    or a hostile file, and saving it would fail in the database instead.
    """
    if len(url) > LINKEDIN_URL_MAX:
        raise InvalidLinkedInURL(
            gettext(
                "That profile address is %(length)s characters long; "
                "Rapport keeps at most %(most)s."
            )
            % {"length": grouped(len(url)), "most": LINKEDIN_URL_MAX}
        )
    return url


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_name(value: str) -> str:
    """Case-, accent- and space-insensitive form of a name for duplicate matching."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def normalize_tag(value: str, *, cut: bool = True) -> str:
    """A tag as stored: lower case, inner white space folded, cut to the column.

    The one tag rule for the contact form, every importer and merges, so "Big  Data"
    typed in the form and "big data" in a vCard are the same tag. The form passes
    cut=False to refuse a long tag instead of shortening it behind the user's back.
    """
    folded = " ".join(value.split()).lower()
    return folded[:TAG_LENGTH_MAX] if cut else folded


def normalize_tags(values: Iterable[str]) -> list[str]:
    """Each tag once, in the order given, blanks left out."""
    return list(dict.fromkeys(tag for value in values if (tag := normalize_tag(value))))
