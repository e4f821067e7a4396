"""mailto: links built from stored addresses never add recipients or headers.

Imports store any address with an "@" in it, so `a?bcc=spy@evil.example` can reach
the database from a LinkedIn or vCard file.
"""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import TrustLevel
from crm.links import mailto_url
from tests.factories import ContactEmailFactory, ContactFactory

HOSTILE = "jill?bcc=spy@evil.example&cc=spy@evil.example"


def _parts(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    return unquote(parts.path), parse_qs(parts.query)


def test_the_address_cannot_add_recipients() -> None:
    to, query = _parts(mailto_url(HOSTILE, "Hello", "Hi"))
    assert to == HOSTILE  # one (odd) address, as stored
    assert set(query) == {"subject", "body"}


def test_the_subject_stays_one_header_line_and_the_body_uses_crlf() -> None:
    _, query = _parts(mailto_url("a@example.org", "Hi\r\nBcc: spy@evil.example", "one\ntwo"))
    assert query["subject"] == ["Hi Bcc: spy@evil.example"]
    assert query["body"] == ["one\r\ntwo"]


@pytest.mark.django_db
def test_the_introduction_draft_link_keeps_the_address_whole(
    auth_client: Client, user: User
) -> None:
    jill = ContactFactory(owner=user, first_name="Jill", trust_level=TrustLevel.CLOSE)
    ContactEmailFactory(contact=jill, email=HOSTILE)
    omar = ContactFactory(owner=user, first_name="Omar", trust_level=TrustLevel.CLOSE)
    response = auth_client.get(reverse("contacts:introduce", args=[jill.pk]), {"other": omar.pk})
    to, query = _parts(response.context["mailto"])
    assert to == HOSTILE
    assert set(query) == {"subject", "body"}


@pytest.mark.django_db
def test_the_contact_page_link_keeps_the_address_whole(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    ContactEmailFactory(contact=contact, email=HOSTILE)
    html = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert 'href="mailto:jill%3Fbcc%3Dspy@evil.example%26cc%3Dspy@evil.example"' in html
