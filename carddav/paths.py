"""Where the address book lives, and the sync tokens and XML answers that name it."""

from urllib.parse import quote, unquote, urlparse

from django.http import HttpResponse
from django.urls import reverse

XML = "application/xml; charset=utf-8"
TOKEN_PREFIX = "urn:rapport:sync:"  # noqa: S105 (a sync token, RFC 6578)


def xml_response(body: bytes, status: int = 207) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=XML)


def sync_token(book: str, seq: int) -> str:
    return f"{TOKEN_PREFIX}{book}-{seq}"


def token_seq(token: str, book: str) -> int | None:
    """The change number a sync token of this address book names, or None when it is
    not one (made up, or from another address book or a restored account's old one)."""
    number = token.removeprefix(f"{TOKEN_PREFIX}{book}-")
    if number == token or not number.isdigit() or len(number) > 18:
        return None
    return int(number)


def urls() -> dict[str, str]:
    return {
        "root": reverse("carddav:root"),
        "principal": reverse("carddav:principal"),
        "home": reverse("carddav:home"),
        "collection": reverse("carddav:collection"),
    }


def card_url(name: str) -> str:
    """The path of a card, its name percent-encoded (phones choose names)."""
    return urls()["collection"] + quote(name, safe="@+,;=~!$&'()*")


def card_name(url: str) -> str | None:
    """The card name an href of a multiget points at, or None outside the collection."""
    path = unquote(urlparse(url).path)
    prefix = urls()["collection"]
    if not path.startswith(prefix) or "/" in path[len(prefix) :]:
        return None
    return path[len(prefix) :] or None
