"""Two people of the same name are told apart wherever they are listed side by side:
the people picker, the merge preview and Possible duplicates."""

from datetime import date
from functools import partial
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from contacts.search import reindex_contacts
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory
from tests.queries import assert_flat, queries_to_get

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def ingrids(user: User) -> tuple[Contact, Contact, Contact]:
    with time_machine.travel(date(2025, 3, 14)):
        architect = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
        cellist = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
        unknown = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    PositionFactory(contact=architect, company="Foster + Partners", title="Architect")
    ContactEmailFactory(contact=cellist, email="ingrid@orchestra.example")
    reindex_contacts([architect, cellist, unknown])
    return architect, cellist, unknown


def test_the_people_picker_shows_job_email_or_added_on(auth_client: Client, user: User) -> None:
    ingrids(user)
    response = auth_client.get(
        reverse("contacts:interaction_new"), {"picker": "1", "q": "ingrid"}, **HTMX
    )
    html = response.content.decode()
    assert 'Ingrid Torres <span class="muted small">· Architect at Foster + Partners ·' in html
    assert "· ingrid@orchestra.example ·" in html
    assert "· added 14 Mar 2025 ·" in html


def test_the_chosen_people_are_told_apart_too(auth_client: Client, user: User) -> None:
    architect, cellist, _ = ingrids(user)
    url = reverse("contacts:interaction_new")
    html = auth_client.get(url, {"contact": [architect.pk, cellist.pk]}).content.decode()
    assert (
        'checked> Ingrid Torres <span class="muted small">· Architect at Foster + Partners' in html
    )
    assert 'checked> Ingrid Torres <span class="muted small">· ingrid@orchestra.example' in html


def test_the_picker_tells_people_apart_in_a_fixed_number_of_queries(
    auth_client: Client, user: User
) -> None:
    ingrids(user)
    url = reverse("contacts:interaction_new")

    def more() -> None:
        for n in range(4):
            person = ContactFactory(owner=user, first_name="Ingrid", last_name=f"Torres{n}")
            PositionFactory(contact=person)
            reindex_contacts([person])

    picker = {"picker": "1", "q": "ingrid"}
    assert_flat(partial(queries_to_get, auth_client, url, picker, **HTMX), more)


def test_the_merge_preview_says_who_is_who(auth_client: Client, user: User) -> None:
    architect, cellist, _ = ingrids(user)
    html = auth_client.get(
        reverse("contacts:merge", args=[architect.pk, cellist.pk])
    ).content.decode()
    assert "Ingrid Torres</a> (ingrid@orchestra.example, added 14 Mar 2025) will be merged" in html
    assert "Ingrid Torres</a> (Architect at Foster + Partners, added 14 Mar 2025)." in html


def test_the_duplicates_list_shows_job_email_and_added_on(auth_client: Client, user: User) -> None:
    ingrids(user)
    html = auth_client.get(reverse("contacts:duplicates")).content.decode()
    assert "Architect at Foster + Partners" in html and "ingrid@orchestra.example" in html
    assert html.count("added 14 Mar 2025") >= 3
