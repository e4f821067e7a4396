"""Script put into any contact text field shows up as text, never as markup."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.services import contact_create

pytestmark = pytest.mark.django_db

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
ESCAPED = {
    PAYLOADS[0]: "&lt;script&gt;alert(1)&lt;/script&gt;",
    PAYLOADS[1]: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_field_is_escaped_on_list_detail_and_edit(
    auth_client: Client, user: User, payload: str
) -> None:
    introducer = contact_create(
        owner=user, first_name=f"Intro{payload}", last_name=payload, trust_level=None
    )
    contact = contact_create(
        owner=user,
        first_name=f"A{payload}",
        last_name=payload,
        how_we_met=payload,
        met_at=payload[:200],
        notes=payload,
        introduced_by=introducer,
        phones=[payload],
        tags=[payload],
        emails=[],
    )
    urls = [
        reverse("contacts:list"),
        reverse("contacts:list") + "?q=" + "a",
        reverse("contacts:list") + "?tag=" + payload.lower(),
        reverse("contacts:detail", args=[contact.pk]),
        reverse("contacts:detail", args=[introducer.pk]),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:delete", args=[contact.pk]),
    ]
    for url in urls:
        response = auth_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert payload not in html, url
        assert payload.lower() not in html, url
    detail = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert ESCAPED[payload] in detail


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_search_query_is_escaped(auth_client: Client, payload: str) -> None:
    variants: list[dict[str, Any]] = [{}, {"HTTP_HX_REQUEST": "true"}]
    for headers in variants:
        html = auth_client.get(reverse("contacts:list"), {"q": payload}, **headers).content
        assert payload.encode() not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_form_with_errors_shows_what_was_typed_escaped(auth_client: Client, payload: str) -> None:
    response = auth_client.post(
        reverse("contacts:new"),
        {
            "first_name": payload,
            "emails": payload,
            "linkedin_url": payload,
            "tags": payload,
            "notes": payload,
            "keep_in_touch": "default",
        },
    )
    assert response.status_code == 200
    assert payload.encode() not in response.content
